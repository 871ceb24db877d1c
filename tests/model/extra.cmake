# Model-area tests that run the hotspot_trace example (included by tests/CMakeLists.txt).
#
# thermo.model.hotspot_trace.gcc: the example on HotSpot's EV6 data must reproduce
#   block_gcc_init-steady.ttrace within 0.05 K (the check prints the max difference).
# thermo.model.hotspot_trace.error.*: bad arguments and malformed files give a message on
#   stderr and exit code 2, never a crash, and nothing on stdout.
if(NOT THERMO_BUILD_EXAMPLES)
  return()
endif()

# The test suite's executable and the example are built together, so `ctest` after building
# thermo_model_tests finds the tool.
add_dependencies(thermo_model_tests hotspot_trace)

set(_hs_check ${CMAKE_CURRENT_LIST_DIR}/hotspot_trace_check.cmake)
set(_hs ${THERMO_SHARED_DIR}/hotspot-data)
set(_hs_args
  --conductance ${_hs}/ev6_block_G_matrix.csv
  --capacitance ${_hs}/ev6_block_C_vector.csv
  --ambient-conductance ${_hs}/ev6_block_g_amb_vector.csv
  --ambient 318.15
  --init ${_hs}/block_gcc.steady
  --ptrace ${_hs}/gcc.ptrace
  --interval 0.01)
string(REPLACE ";" "|" _hs_args_escaped "${_hs_args}")  # the check script splits on |
add_test(NAME thermo.model.hotspot_trace.gcc
         COMMAND ${CMAKE_COMMAND} -DMODE=compare -DEXE=$<TARGET_FILE:hotspot_trace>
                 "-DARGS=${_hs_args_escaped}"
                 -DREFERENCE=${_hs}/block_gcc_init-steady.ttrace -DTOLERANCE_CENTI=5
                 -P ${_hs_check})

# A tiny two-node network (nodes a, b) and broken variants of its files.
set(_d ${CMAKE_CURRENT_BINARY_DIR}/hotspot_trace_data)
file(WRITE ${_d}/G.csv "1.5,-1\n-1,1.5\n")
file(WRITE ${_d}/G_bad.csv "1.5,-1\n-1,abc\n")
file(WRITE ${_d}/G_short.csv "1.5,-1\n-1\n")
file(WRITE ${_d}/C.csv "index,node,capacitance_J_per_K\n0,a,0.1\n1,b,0.2\n")
file(WRITE ${_d}/C_negative.csv "index,node,capacitance_J_per_K\n0,a,0.1\n1,b,-0.2\n")
file(WRITE ${_d}/gamb.csv "index,node,conductance_to_ambient_W_per_K\n0,a,0.5\n1,b,0.5\n")
file(WRITE ${_d}/gamb_name.csv "index,node,conductance_to_ambient_W_per_K\n0,a,0.5\n1,x,0.5\n")
file(WRITE ${_d}/init.steady "a\t320.0\nb\t319.0\n")
file(WRITE ${_d}/init_missing.steady "a\t320.0\n")
file(WRITE ${_d}/init_unknown.steady "a\t320.0\nb\t319.0\nzz\t300\n")
file(WRITE ${_d}/p.ptrace "a\tb\n1.0\t2.0\n")
file(WRITE ${_d}/p_unknown.ptrace "a\tFoo\n1.0\t2.0\n")
file(WRITE ${_d}/p_short.ptrace "a\tb\n1.0\t2.0\n3.0\n")
file(WRITE ${_d}/p_nan.ptrace "a\tb\n1.0\tnan\n")

# hotspot_trace_error(<name> <stderr regex> <file overrides as flag=value …> [--drop flag])
function(hotspot_trace_error name expect)
  set(args --conductance ${_d}/G.csv --capacitance ${_d}/C.csv --ambient-conductance ${_d}/gamb.csv
           --ambient 318.15 --init ${_d}/init.steady --ptrace ${_d}/p.ptrace --interval 0.01)
  set(drop "")
  foreach(item ${ARGN})
    if(item MATCHES "^--drop=(.*)$")
      set(drop ${CMAKE_MATCH_1})
    elseif(item MATCHES "^(--[a-z-]+)=(.*)$")
      list(FIND args ${CMAKE_MATCH_1} pos)
      math(EXPR pos "${pos} + 1")
      list(REMOVE_AT args ${pos})
      list(INSERT args ${pos} "${CMAKE_MATCH_2}")
    else()
      list(APPEND args ${item})
    endif()
  endforeach()
  if(drop)
    list(FIND args ${drop} pos)
    list(REMOVE_AT args ${pos} ${pos})
    list(REMOVE_AT args ${pos})
  endif()
  string(REPLACE ";" "|" escaped "${args}")
  add_test(NAME thermo.model.hotspot_trace.error.${name}
           COMMAND ${CMAKE_COMMAND} -DMODE=error -DEXE=$<TARGET_FILE:hotspot_trace> "-DARGS=${escaped}"
                   "-DEXPECT=${expect}" -P ${_hs_check})
endfunction()

hotspot_trace_error(missing_file "cannot read '[^']*missing\\.csv': No such file or directory" --conductance=${_d}/missing.csv)
hotspot_trace_error(malformed_csv "G_bad\\.csv:2: bad number 'abc' in column 2" --conductance=${_d}/G_bad.csv)
hotspot_trace_error(short_csv_row "G_short\\.csv:2: expected 2 values, found 1" --conductance=${_d}/G_short.csv)
hotspot_trace_error(node_name_mismatch "gamb_name\\.csv:3: node 'x' at index 1 does not match 'b'"
                    --ambient-conductance=${_d}/gamb_name.csv)
hotspot_trace_error(invalid_network "invalid network: capacitance of node 'b': not strictly positive"
                    --capacitance=${_d}/C_negative.csv)
hotspot_trace_error(unknown_block "unknown block 'Foo'" --ptrace=${_d}/p_unknown.ptrace)
hotspot_trace_error(short_ptrace_row "p_short\\.ptrace:3: expected 2 values, found 1" --ptrace=${_d}/p_short.ptrace)
hotspot_trace_error(nan_power "p_nan\\.ptrace:2: bad number 'nan' in column 2" --ptrace=${_d}/p_nan.ptrace)
hotspot_trace_error(missing_init_node "no initial temperature for node 'b'" --init=${_d}/init_missing.steady)
hotspot_trace_error(unknown_init_node "unknown node 'zz'" --init=${_d}/init_unknown.steady)
hotspot_trace_error(zero_interval "bad --interval '0'" --interval=0)
hotspot_trace_error(negative_interval "bad --interval '-1'" --interval=-1)
hotspot_trace_error(text_interval "bad --interval 'soon'" --interval=soon)
hotspot_trace_error(bad_ambient "bad --ambient 'inf'" --ambient=inf)
hotspot_trace_error(missing_argument "missing --ptrace" --drop=--ptrace)
hotspot_trace_error(unknown_argument "unknown argument '--verbose'" --verbose)
hotspot_trace_error(missing_value "missing value after --interval" --drop=--interval --interval)
