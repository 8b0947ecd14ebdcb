# cpu_jit_impls.cmake — a short CNN training with batchnorm (nastrain NASTRAIN) under oneDNN's
# verbose mode: every convolution, pooling and batchnorm primitive it runs must be one of
# oneDNN's jit kernels for this CPU, never a reference implementation ("ref:any",
# "bnorm_ref:any": 30x slower; what nChw16c got on an AVX2 CPU). Fails with the offending lines.
set(ENV{ONEDNN_VERBOSE} 1)
execute_process(COMMAND ${NASTRAIN} cnn --bn --synthetic 640 --batch 64 --epochs 1 --max-steps 2
                        --threads 2 --latency 3
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nastrain failed (${rc}):\n${err}")
endif()
string(REGEX MATCHALL "onednn_verbose,exec,cpu,[a-z_0-9]+,[^,\n]*ref[^,\n]*,[^\n]*" refs "${out}")
if(refs)
  list(REMOVE_DUPLICATES refs)
  string(REPLACE ";" "\n" refs "${refs}")
  message(FATAL_ERROR "oneDNN ran reference implementations:\n${refs}")
endif()
foreach(kind "convolution,jit" "pooling_v2,jit" "batch_normalization,bnorm_jit")
  string(FIND "${out}" "exec,cpu,${kind}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "no '${kind}' primitive in the verbose output: the check saw nothing")
  endif()
endforeach()
message(STATUS "all oneDNN primitives ran jit kernels")
