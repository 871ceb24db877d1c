# cmake -DNM=<arm-none-eabi-nm> -DSIZE=<arm-none-eabi-size> -DIMAGE=<linked .elf> -P check_image.cmake
# Prints the image's text/data/bss sizes and fails if it links an allocator (malloc, free, their
# newlib _r variants, operator new/delete), the C++ exception runtime or RTTI (typeinfo,
# dynamic_cast). Unlike check_symbols.cmake (undefined symbols of a static library) this looks
# at every symbol of a fully linked program: what is there is what the device would run.
cmake_minimum_required(VERSION 3.25)
foreach(var NM SIZE IMAGE)
  if(NOT ${var})
    message(FATAL_ERROR "check_image.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT EXISTS "${IMAGE}")
  message(FATAL_ERROR "check_image.cmake: no image ${IMAGE}")
endif()

execute_process(COMMAND "${SIZE}" "${IMAGE}" OUTPUT_VARIABLE sizes RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${SIZE} failed on ${IMAGE}")
endif()
message("${sizes}")

execute_process(COMMAND "${NM}" "${IMAGE}" OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${IMAGE}")
endif()
# One symbol per line, "<address> <type> <name>" (undefined ones without an address).
string(REGEX REPLACE "[^\n]* ([^ \n]+)(\n|$)" "\\1;" names "${symbols}")
if(NOT "reset_handler" IN_LIST names)
  message(FATAL_ERROR "${IMAGE}: no reset_handler symbol — not an mps2-an386 image of this project?")
endif()
set(forbidden
    "^(malloc|calloc|realloc|free|memalign|aligned_alloc|posix_memalign|valloc|pvalloc)$"
    "^_(malloc|calloc|realloc|free|memalign)_r$"
    "^_Zn[wa]"                      # operator new / new[]
    "^_Zd[la]"                      # operator delete / delete[]
    "^__cxa_(allocate_exception|throw|rethrow|begin_catch|end_catch|call_unexpected|bad_cast|bad_typeid)$"
    "^__gxx_personality"
    "^_Unwind_"
    "^__aeabi_unwind_cpp_pr"
    "^_ZT[IS]"                      # typeinfo objects and names
    "^__dynamic_cast$")
set(hits "")
foreach(name IN LISTS names)
  foreach(pattern IN LISTS forbidden)
    if(name MATCHES "${pattern}")
      string(APPEND hits "  ${name}\n")
      break()
    endif()
  endforeach()
endforeach()
if(hits)
  message(FATAL_ERROR "${IMAGE} links heap/exception/RTTI symbols:\n${hits}")
endif()
list(LENGTH names count)
message("${IMAGE}: ${count} symbols, no heap, exception or RTTI symbols")
