# CTest install_export_consumer: cmake [-D...] -P run.cmake (tests/CMakeLists.txt passes the -D values).
# 1. Extracts README.md's C++ example: the first ```cpp block after a heading that says "C++ example".
# 2. Installs the netcrm build into an empty staging prefix, so a file missing from the install rules
#    is missed here rather than found in the build tree.
# 3. Configures and builds tests/consumer against that prefix, then runs both programs.
cmake_minimum_required(VERSION 3.22)

foreach(var NETCRM_BUILD_DIR STAGE_DIR CONSUMER_SOURCE_DIR CONSUMER_BUILD_DIR README)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake: -D${var}=... is required")
  endif()
endforeach()

# --- 1. README's example ------------------------------------------------------------------------
if(NOT EXISTS "${README}")
  message(FATAL_ERROR "${README} does not exist; it must hold a \"C++ example\" heading and a ```cpp block")
endif()
file(READ "${README}" readme)
# Headings are matched case-insensitively on a lower-cased copy; it has the same length, so offsets
# found in it hold in the original.
string(TOLOWER "${readme}" readme_lower)
string(REGEX MATCH "(^|\n)#+[ \t][^\n]*c\\+\\+ example[^\n]*" heading "${readme_lower}")
if(NOT heading)
  message(FATAL_ERROR "${README}: no heading containing \"C++ example\"")
endif()
string(FIND "${readme_lower}" "${heading}" at)
string(LENGTH "${heading}" length)
math(EXPR at "${at} + ${length}")
string(SUBSTRING "${readme}" ${at} -1 after_heading)

string(REGEX MATCH "\n```cpp[ \t\r]*\n" fence "${after_heading}")
if(NOT fence)
  message(FATAL_ERROR "${README}: no ```cpp block after the \"C++ example\" heading")
endif()
string(FIND "${after_heading}" "${fence}" at)
string(LENGTH "${fence}" length)
math(EXPR at "${at} + ${length}")
string(SUBSTRING "${after_heading}" ${at} -1 block_and_rest)
string(FIND "${block_and_rest}" "\n```" end)
if(end EQUAL -1)
  message(FATAL_ERROR "${README}: the ```cpp block after \"C++ example\" is not closed")
endif()
string(SUBSTRING "${block_and_rest}" 0 ${end} example)
if(NOT example MATCHES "[^ \t\r\n]")
  message(FATAL_ERROR "${README}: the ```cpp block after \"C++ example\" is empty")
endif()

# Rewritten only when it changed, so an unchanged README does not rebuild the example.
set(example_file "${CONSUMER_BUILD_DIR}/readme_example.cpp")
set(previous "")
if(EXISTS "${example_file}")
  file(READ "${example_file}" previous)
endif()
if(NOT previous STREQUAL "${example}\n")
  file(WRITE "${example_file}" "${example}\n")
endif()

# --- 2. install into a fresh staging prefix ----------------------------------------------------
file(REMOVE_RECURSE "${STAGE_DIR}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${NETCRM_BUILD_DIR}" --prefix "${STAGE_DIR}"
                OUTPUT_QUIET COMMAND_ERROR_IS_FATAL ANY)

# --- 3. build the consumer against it, then run it ---------------------------------------------
set(configure_args -S "${CONSUMER_SOURCE_DIR}" -B "${CONSUMER_BUILD_DIR}"
    "-DCMAKE_PREFIX_PATH=${STAGE_DIR}"
    "-DNETCRM_README_EXAMPLE=${example_file}")
if(GENERATOR)
  list(APPEND configure_args -G "${GENERATOR}")
endif()
if(CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(DEFINED CXX_FLAGS)
  list(APPEND configure_args "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
endif()
if(BUILD_TYPE)
  list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} ${configure_args} OUTPUT_QUIET COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} --build "${CONSUMER_BUILD_DIR}" --parallel 2 COMMAND_ERROR_IS_FATAL ANY)

foreach(program consumer readme_example)
  message(STATUS "running ${program}")
  execute_process(COMMAND "${CONSUMER_BUILD_DIR}/${program}" WORKING_DIRECTORY "${CONSUMER_BUILD_DIR}"
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${program} failed: ${result}")
  endif()
endforeach()
