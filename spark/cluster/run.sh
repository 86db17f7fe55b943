#!/usr/bin/env bash
# Trains examples/fashion/fashion.nn on a Spark standalone cluster on this machine: a
# master and two workers of one core each, separate JVMs started from the Maven
# artifacts, on a Parquet copy of Fashion-MNIST; in sync mode, in average mode, and with
# `nnc train` on the same two cores. Prints each run's epochs, accuracy and where its
# time went. Needs: apt-get install -y dataset-fashion-mnist.
#
#   spark/cluster/run.sh            # EPOCHS=2 SYNC_EPOCHS=1 LOCAL_STEPS=8 by default
set -euo pipefail
cd "$(dirname "$0")/../.."
EPOCHS=${EPOCHS:-2}
SYNC_EPOCHS=${SYNC_EPOCHS:-1}
LOCAL_STEPS=${LOCAL_STEPS:-8}
work=$PWD/spark/target/cluster
mkdir -p "$work"

mvn -q -B -pl spark -am install -DskipTests
mvn -q -B -pl spark dependency:build-classpath -Dmdep.includeScope=provided -Dmdep.outputFile="$work/classpath"

# A SPARK_HOME made of the Maven artifacts: a worker starts its executors from $SPARK_HOME/jars.
rm -rf "$work/home" && mkdir -p "$work/home/jars" && touch "$work/home/RELEASE"
tr ':' '\n' < "$work/classpath" | while read -r jar; do ln -sf "$jar" "$work/home/jars/"; done
export SPARK_HOME=$work/home
export SPARK_SCALA_VERSION=2.13

# What spark-submit gives a JVM on Java 17, and the Vector API for the models' kernels.
OPENS="--add-modules jdk.incubator.vector -XX:+IgnoreUnrecognizedVMOptions"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS="$OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done
OPENS="$OPENS -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
spark_java() { java $OPENS -cp "$SPARK_HOME/jars/*" "$@"; }

spark_java org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7077 --webui-port 18080 > "$work/master.log" 2>&1 &
pids=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
sleep 3
for w in 1 2; do
  spark_java org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 4g --webui-port 1808$w \
    --work-dir "$work/worker$w" spark://127.0.0.1:7077 > "$work/worker$w.log" 2>&1 &
  pids+=($!)
done
sleep 5

# splits of 96 MB: the 188 MB of training rows in two partitions of nearly equal size, in file order
submit() {
  spark_java -Xmx4g org.apache.spark.deploy.SparkSubmit --master spark://127.0.0.1:7077 \
    --conf spark.sql.files.maxPartitionBytes=96m \
    --conf "spark.executor.extraJavaOptions=$OPENS" --conf spark.executor.memory=3g --conf spark.ui.enabled=false \
    --conf "spark.driver.extraJavaOptions=-Dlog4j2.level=warn" "$@"
}

if [ ! -f "$work/fashion-test.parquet/_SUCCESS" ]; then
  # one file each, read back as splits in file order: rows numbered as nnc reads the IDX files
  submit --conf spark.rpc.message.maxSize=512 --class dev.nnc.spark.ToParquet spark/target/nnc-spark.jar examples/fashion/fashion.nn train "$work/fashion-train.parquet" 1
  submit --conf spark.rpc.message.maxSize=512 --class dev.nnc.spark.ToParquet spark/target/nnc-spark.jar examples/fashion/fashion.nn test "$work/fashion-test.parquet" 1
fi

echo "== Spark, sync mode, $SYNC_EPOCHS epoch(s), 2 workers of 1 core"
submit --class dev.nnc.spark.Train spark/target/nnc-spark.jar examples/fashion/fashion.nn \
  --data "parquet:$work/fashion-train.parquet" --test "parquet:$work/fashion-test.parquet" \
  --epochs "$SYNC_EPOCHS" --mode sync --out "$work/sync" 2> "$work/sync.log"
echo "== Spark, average mode ($LOCAL_STEPS local steps), $EPOCHS epochs, 2 workers of 1 core"
submit --class dev.nnc.spark.Train spark/target/nnc-spark.jar examples/fashion/fashion.nn \
  --data "parquet:$work/fashion-train.parquet" --test "parquet:$work/fashion-test.parquet" \
  --epochs "$EPOCHS" --mode average --local-steps "$LOCAL_STEPS" --out "$work/average" 2> "$work/average.log"
echo "== Spark, average mode ($LOCAL_STEPS local steps), $EPOCHS epochs, 1 worker of 1 core (for the exchange's cost per worker)"
submit --conf spark.cores.max=1 --class dev.nnc.spark.Train spark/target/nnc-spark.jar examples/fashion/fashion.nn \
  --data "parquet:$work/fashion-train.parquet" --test "parquet:$work/fashion-test.parquet" \
  --epochs "$EPOCHS" --mode average --local-steps "$LOCAL_STEPS" --out "$work/average1" 2> "$work/average1.log"
echo "== nnc train, $EPOCHS epochs, 2 threads"
./nnc train examples/fashion/fashion.nn --epochs "$EPOCHS" --threads 2 --out "$work/one"
echo "== nnc train, $SYNC_EPOCHS epoch(s), 2 threads, to compare with sync mode's weights"
./nnc train examples/fashion/fashion.nn --epochs "$SYNC_EPOCHS" --threads 2 --out "$work/one-sync" --quiet
if cmp -s "$work/sync/weights.safetensors" "$work/one-sync/weights.safetensors"; then
  echo "sync mode's weights.safetensors and nnc train's are the same bytes"
else
  echo "sync mode's weights differ from nnc train's"
fi
