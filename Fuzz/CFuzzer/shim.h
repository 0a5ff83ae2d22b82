// libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer): runs the fuzzing loop with `callback`
// as the target. Declared here because libFuzzer ships no header; nothing else is in this module.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
