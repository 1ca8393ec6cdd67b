#pragma once
// Adding counts read from files (--merge): a sum past what an int holds is
// refused, not wrapped.
#include <stdexcept>

namespace kit {

inline void add_count(int& to, int from) {
  if (__builtin_add_overflow(to, from, &to)) throw std::invalid_argument("counts too large to add up");
}

}  // namespace kit
