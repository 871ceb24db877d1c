# The consumer compiles thermo's headers with a strict warning set: a package whose headers warn
# in a user's -Werror build is a broken package.
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(consumer PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion
                                          -Wshadow -Wold-style-cast -Werror)
endif()
set_target_properties(consumer PROPERTIES CXX_EXTENSIONS OFF)
