# The runs of the examples and of the documentation's snippets, as CTest tests: one list
# for the build tree's programs and for the g++ build of them through the installed
# package (tests/CMakeLists.txt).
#   mistasync_add_example_runs(EXAMPLE_PREFIX SNIPPET_PREFIX EXE_DIR MISTSIM SNIPPET_DIR OUT_VAR)
# EXE_DIR: where the programs are; empty: this build's targets. MISTSIM: the simulator
# program the TLS example and the README's quickstart run against. SNIPPET_DIR: the
# working directory of the snippets, which write files. OUT_VAR: the tests' names.
function(mistasync_add_example_runs example_prefix snippet_prefix exe_dir mistsim snippet_dir out_var)
  set(names "")
  function(program_of name var)
    if(exe_dir)
      set(${var} ${exe_dir}/${name} PARENT_SCOPE)
    else()
      set(${var} $<TARGET_FILE:${name}> PARENT_SCOPE)
    endif()
  endfunction()
  foreach(name quickstart error_handling callbacks_and_futures timeouts_and_cancellation wait_for_job
               provider_fields provision_with_script testing_with_the_simulator api_v2 embedded_service)
    program_of(${name} program)
    add_test(NAME ${example_prefix}${name} COMMAND ${program})
    list(APPEND names ${example_prefix}${name})
  endforeach()
  program_of(multi_provision program)
  add_test(NAME ${example_prefix}multi_provision
           COMMAND ${program} --count 60 --concurrency 20 --boot-delay 0.2 --ssh-delay 0.2)
  program_of(tls program)
  add_test(NAME ${example_prefix}tls COMMAND ${PROJECT_SOURCE_DIR}/examples/2_simple/run_tls_example.sh ${mistsim} ${program})
  list(APPEND names ${example_prefix}multi_provision ${example_prefix}tls)

  foreach(snippet guide docs_snippets testing_with_the_simulator)
    string(REPLACE "docs_snippets" "docs" test ${snippet})
    program_of(snippet_${snippet} program)
    add_test(NAME ${snippet_prefix}${test} COMMAND ${program} WORKING_DIRECTORY ${snippet_dir})
    list(APPEND names ${snippet_prefix}${test})
  endforeach()
  program_of(snippet_readme_quickstart program)
  add_test(NAME ${snippet_prefix}readme_quickstart
           COMMAND ${PROJECT_SOURCE_DIR}/examples/snippets/run_against_mistsim.sh ${mistsim} ${program})
  list(APPEND names ${snippet_prefix}readme_quickstart)
  set_tests_properties(${names} PROPERTIES TIMEOUT 120)
  set(${out_var} ${names} PARENT_SCOPE)
endfunction()
