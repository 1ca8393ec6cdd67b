#pragma once
// The clients' --help beyond their flags: what each is, and its examples
// (as they ran; the program's own name is put in when it prints them).
#include "options.hpp"

namespace kit {

const char* client_description(ClientKind kind);
const char* client_examples(ClientKind kind);

}  // namespace kit
