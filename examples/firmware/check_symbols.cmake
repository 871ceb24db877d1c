# cmake -DNM=<nm> -DSIZE=<size> -DLIB=<static library> -P check_symbols.cmake
# Prints the library's size and fails if it needs the heap, exceptions or RTTI: the undefined
# symbols of device code must not include an allocator, the C++ exception runtime or typeinfo.
if(SIZE)
  execute_process(COMMAND "${SIZE}" -t "${LIB}")
endif()
execute_process(COMMAND "${NM}" -u "${LIB}" OUTPUT_VARIABLE undefined RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${LIB}")
endif()
# Sanitizer builds (asan-ubsan preset) add the runtime's hooks (__asan_stack_malloc_*,
# __ubsan_handle_*_abort); they are instrumentation, not calls the device code makes.
string(REGEX REPLACE "[^\n]*__(asan|ubsan|lsan|tsan|msan|sanitizer)_[^\n]*" "" undefined "${undefined}")
set(forbidden "malloc|calloc|realloc|free|_Znw|_Zna|_Zdl|_Zda|__cxa_throw|__cxa_allocate_exception|__cxa_begin_catch|__gxx_personality|_ZTI|__dynamic_cast|abort")
string(REGEX MATCHALL "[^\n]*(${forbidden})[^\n]*" hits "${undefined}")
if(hits)
  string(REPLACE ";" "\n" hits "${hits}")
  message(FATAL_ERROR "device code pulls in heap/exception/RTTI symbols:\n${hits}")
endif()
message(STATUS "firmware_smoke: no heap, exception or RTTI symbols")
