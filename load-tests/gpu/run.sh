#!/usr/bin/env bash
# The engine sweep on a GPU machine, from the parts load-tests/gpu/prepare.sh wrote under .gpu/.
#   run.sh check   what the machine has (GPU, driver, CUDA 13 libraries), and the Java side works
#                  (a few documents on the CPU); needs .gpu/p1 only
#   run.sh parts   which parts have arrived (send them one at a time while the machine is held)
#   run.sh sweep   every part checked and unpacked, then the engine alone on CUDA (int8 and fp32
#                  MiniLM, batches 8 to 256) and on the machine's CPU cores, as a table; JSON and
#                  logs under $OUT (or .gpu/out)
# Builds nothing; writes nothing outside .gpu/ and $OUT.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="${OUT:-$root/.gpu/out}"
mkdir -p "$out"
work=/tmp/expertflow-gpu
phase="${1:-sweep}"

cuda_dirs() {
  find / -xdev \( -name 'libcublas.so.13' -o -name 'libcudnn.so.9' -o -name 'libcudart.so.13' \
    -o -name 'libcufft.so.12' -o -name 'libcurand.so.10' \) 2>/dev/null | xargs -r -n1 dirname | sort -u | tr '\n' ':'
}

verify() { # a part's files against its SHA256SUMS
  (cd "$1" && sha256sum --quiet -c SHA256SUMS) || { echo "run: $1 is damaged" >&2; return 1; }
}

unpack_runtime() {
  verify .gpu/p1 || exit 1
  rm -rf "$work" && mkdir -p "$work"
  tar -C "$work" -xJf .gpu/p1/runtime.tar.xz
  JAVA="$work/jre/bin/java" # the runtime that travelled, whatever the machine has
  "$JAVA" -version 2>&1 | head -1
}

sweep() { # provider, JSON file, more EngineSweep options
  local provider="$1" json="$2"
  shift 2
  [ -n "${CUDA_DIRS+x}" ] || CUDA_DIRS="$(cuda_dirs)"
  LD_LIBRARY_PATH="$work/natives:${CUDA_DIRS}${LD_LIBRARY_PATH:-}" "$JAVA" -Xmx8g \
    -Donnxruntime.native.path="$work/natives" -cp "$work/lib/*" \
    io.expertflow.bench.worker.EngineSweep .gpu/p1/documents.jsonl "$json" provider="$provider" "$@"
}

case "$phase" in
  check)
    if [ -x .gpu/p1/precheck/precheck.sh ] || [ -f .gpu/p1/precheck/precheck.sh ]; then
      bash .gpu/p1/precheck/precheck.sh 2>&1 | tee "$out/precheck.log"
    fi
    nproc; free -g | head -2
    unpack_runtime
    sweep cpu "$out/check.json" variants=int8 batches=8 documents=20 2>&1 | tee "$out/check.log"
    ;;
  parts)
    ls -la .gpu/ .gpu/p* 2>&1 | head -40
    ;;
  sweep)
    for d in .gpu/p[0-9]*; do
      [ "$d" = .gpu/p1 ] || verify "$d" || exit 1
    done
    unpack_runtime
    cat $(ls -d .gpu/p[0-9]* | grep -vx '.gpu/p1' | sort -V | sed 's|$|/part.*|') > "$work/big.bin"
    offset=0
    while read -r bytes target kind sum; do
      dd if="$work/big.bin" bs=4M iflag=skip_bytes,count_bytes skip="$offset" count="$bytes" \
        status=none > "$work/piece"
      echo "$sum  $work/piece" | sha256sum --quiet -c || { echo "run: $target damaged or missing" >&2; exit 1; }
      if [ "$kind" = xz ]; then xz -T0 -d -c "$work/piece" > "$work/$target"; else mv "$work/piece" "$work/$target"; fi
      offset=$((offset + bytes))
    done < .gpu/p1/layout
    rm -f "$work/big.bin" "$work/piece"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"
    CUDA_DIRS="$(cuda_dirs)"
    echo "cuda libraries: $CUDA_DIRS" | tee -a "$out/gpu.txt"
    sweep cuda "$out/gpu-sweep.json" variants=fp32,int8-static,int8 batches=8,16,32,64,128,256 \
      documents=400 2>&1 | tee "$out/gpu-sweep.log"
    sweep cpu "$out/cpu-sweep.json" variants=int8-static,int8,fp32 batches=8,32 documents=200 \
      threads="$(nproc)" 2>&1 | tee "$out/cpu-sweep.log"
    nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader >> "$out/gpu.txt"
    echo
    echo "== the engine alone (MiniLM + MoE head, 4 chunks of 128 tokens at most per document)"
    grep -hE '^(device|cuda|cpu) ' "$out/gpu-sweep.log" "$out/cpu-sweep.log" | awk '!(/^device/ && seen++)'
    ;;
  *)
    echo "usage: run.sh check|parts|sweep" >&2
    exit 2
    ;;
esac
