# Strict warnings and reproducible floating point for thermo's own targets (tests, examples,
# benchmarks). Never applied to the INTERFACE library: consumers choose their own flags.

# thermo_target_warnings(<target>): the house warning set, -Werror.
function(thermo_target_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Werror -Wconversion -Wsign-conversion -Wshadow -Wold-style-cast
    -Wcast-align -Wnon-virtual-dtor -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion
    -Wformat=2 -Wundef -Wzero-as-null-pointer-constant -Wextra-semi
    $<$<CXX_COMPILER_ID:GNU>:-Wduplicated-cond -Wduplicated-branches -Wlogical-op -Wuseless-cast>)
endfunction()

# thermo_target_defaults(<target>): warnings plus -ffp-contract=off, so that results are
# bit-identical across compilers and targets (no silent FMA contraction).
function(thermo_target_defaults target)
  thermo_target_warnings(${target})
  target_compile_options(${target} PRIVATE -ffp-contract=off)
  target_link_libraries(${target} PRIVATE thermo::thermo)
endfunction()
