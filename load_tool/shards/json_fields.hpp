#pragma once
// Reading the fields of a --result line: each missing or wrong field is a
// std::invalid_argument that names it.
#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kit::json_fields {

inline const boost::json::value& field(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) throw std::invalid_argument("no '" + std::string(key) + "'");
  return *value;
}

inline double number(const boost::json::object& object, std::string_view key) {
  const boost::json::value& value = field(object, key);
  const double number = value.is_number() ? value.to_number<double>() : -1;
  if (!(number >= 0) || !std::isfinite(number)) {
    throw std::invalid_argument("'" + std::string(key) + "' is not a number from 0");
  }
  return number;
}

template <class Count = int>
Count count_of(const boost::json::value& value, std::string_view name) {
  const bool whole = value.is_int64() || value.is_uint64();
  const double number = whole ? value.to_number<double>() : -1;
  if (number < 0 || number > static_cast<double>(std::numeric_limits<Count>::max())) {
    throw std::invalid_argument("'" + std::string(name) + "' is not a count");
  }
  return static_cast<Count>(value.to_number<std::uint64_t>());
}

template <class Count = int>
Count count(const boost::json::object& object, std::string_view key) {
  return count_of<Count>(field(object, key), key);
}

inline const boost::json::object& object_at(const boost::json::object& object, std::string_view key) {
  const boost::json::value& value = field(object, key);
  if (!value.is_object()) throw std::invalid_argument("'" + std::string(key) + "' is not an object");
  return value.get_object();
}

inline const boost::json::array& array_at(const boost::json::object& object, std::string_view key) {
  const boost::json::value& value = field(object, key);
  if (!value.is_array()) throw std::invalid_argument("'" + std::string(key) + "' is not an array");
  return value.get_array();
}

}  // namespace kit::json_fields
