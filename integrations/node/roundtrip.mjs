// Send one document to expertflow, wait for its response, and rate it: the three things an
// event-driven integration does, with KafkaJS and Confluent's schema registry client, in the
// Confluent wire format the pipeline uses. Run it against any expertflow deployment:
//
//   EXPERTFLOW_BOOTSTRAP=localhost:9092 \
//   EXPERTFLOW_REGISTRY=http://localhost:8081/apis/ccompat/v7 \
//   node roundtrip.mjs "Text of the document to analyse."
//
// Settings (environment): EXPERTFLOW_BOOTSTRAP (bootstrap servers, comma-separated),
// EXPERTFLOW_REGISTRY (schema registry URL, Confluent API), EXPERTFLOW_TOPIC_PREFIX (default
// "expertflow."), EXPERTFLOW_TENANT (default "node-example"), EXPERTFLOW_TIMEOUT_MS (default 60000),
// EXPERTFLOW_CORRECTED_LABEL (send this label as a correction instead of a positive rating).
// Prints the response as one JSON line and exits 0; exits 1 with the reason on stderr otherwise.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import {
  AvroDeserializer,
  AvroSerializer,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';

const env = process.env;
const bootstrap = (env.EXPERTFLOW_BOOTSTRAP ?? 'localhost:9092').split(',');
const registryUrl = env.EXPERTFLOW_REGISTRY ?? 'http://localhost:8081';
const prefix = env.EXPERTFLOW_TOPIC_PREFIX ?? 'expertflow.';
const tenant = env.EXPERTFLOW_TENANT ?? 'node-example';
const timeoutMs = Number(env.EXPERTFLOW_TIMEOUT_MS ?? 60000);
const text = process.argv[2] ?? 'A short note about an invoice that is due next week.';

const topics = {
  inbound: `${prefix}requests.inbound`,
  responses: `${prefix}responses`,
  feedback: `${prefix}feedback`,
};

const registry = new SchemaRegistryClient({ baseURLs: [registryUrl] });
// the pipeline registers its schemas; a client writes with the latest one and never registers
const writeOptions = { useLatestVersion: true, autoRegisterSchemas: false };
const requestSerializer = new AvroSerializer(registry, SerdeType.VALUE, writeOptions);
const feedbackSerializer = new AvroSerializer(registry, SerdeType.VALUE, writeOptions);
const responseDeserializer = new AvroDeserializer(registry, SerdeType.VALUE, {});

const kafka = new Kafka({
  clientId: 'expertflow-node-example',
  brokers: bootstrap,
  logLevel: logLevel.WARN,
});

async function main() {
  const requestId = `node-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId: `node-example-${requestId}` });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([consumer.connect(), producer.connect()]);
  try {
    // 1. the response arrives on responses, keyed by request id; subscribe before sending
    await consumer.subscribe({ topic: topics.responses, fromBeginning: false });
    const answered = new Promise((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            if (message.key?.toString() !== requestId || message.value === null) {
              return;
            }
            resolve(await responseDeserializer.deserialize(topics.responses, message.value));
          },
        })
        .catch(reject);
    });
    await waitForAssignment(consumer);

    // 2. the request: keyed by request id on requests.inbound; the intake validates it
    const request = {
      request_id: requestId,
      document_id: requestId,
      tenant,
      text,
      chunks: null,
      task: 'classify',
      priority: 0,
      deadline: null,
      submitted_at: Date.now(),
      attributes: { source: 'node-example' },
      job_id: null,
    };
    await producer.send({
      topic: topics.inbound,
      acks: -1,
      messages: [
        { key: requestId, value: await requestSerializer.serialize(topics.inbound, request) },
      ],
    });

    const response = await withTimeout(answered, timeoutMs, `no response to ${requestId}`);

    // 3. feedback on the answer: a rating, or a corrected label
    const corrected = env.EXPERTFLOW_CORRECTED_LABEL ?? null;
    const feedback = {
      feedback_id: `fb-${requestId}`,
      request_id: requestId,
      rating: corrected === null ? 1 : -1,
      corrected_label: corrected,
      source: 'node-example',
      event_time: Date.now(),
    };
    await producer.send({
      topic: topics.feedback,
      acks: -1,
      messages: [
        { key: requestId, value: await feedbackSerializer.serialize(topics.feedback, feedback) },
      ],
    });

    process.stdout.write(
      JSON.stringify({
        request_id: response.request_id,
        status: response.status,
        labels: (response.labels ?? []).map((l) => ({ label: l.label, score: l.score })),
        experts: response.experts,
        model_version: response.model_version,
        feedback_id: feedback.feedback_id,
      }) + '\n',
    );
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
  }
}

/** Resolves once the consumer owns partitions, so that no response is missed. */
function waitForAssignment(consumer) {
  return withTimeout(
    new Promise((resolve) => {
      const { GROUP_JOIN } = consumer.events;
      const remove = consumer.on(GROUP_JOIN, () => {
        remove();
        resolve();
      });
    }),
    timeoutMs,
    `the consumer did not join its group on ${topics.responses}`,
  );
}

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`roundtrip failed: ${e.message}\n`);
    process.exit(1);
  },
);
