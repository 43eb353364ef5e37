#!/usr/bin/env node
// Readiness probes that speak each server's own wire protocol, with no npm dependencies
// (the repo has no kafkajs or mongodb driver yet). A TCP connect is not enough: a Kafka broker
// accepts connections before it has joined its KRaft quorum, and so on.
//
//   node probe.mjs kafka 127.0.0.1:9092     Metadata request (API key 3, v4): the broker must list
//                                           itself and a controller.
//   node probe.mjs mongodb 127.0.0.1:27017  OP_MSG hello, ping and buildInfo on the admin database.
//
// Prints one summary line and exits 0 when the server is ready, 1 otherwise (reason on stderr).
// Options: --timeout MS (per attempt, default 2000).
import { Socket } from 'node:net';

const [kind, address, ...rest] = process.argv.slice(2);
const timeoutIndex = rest.indexOf('--timeout');
const timeoutMs = timeoutIndex >= 0 ? Number(rest[timeoutIndex + 1]) : 2000;

/**
 * Opens one TCP connection. `ask(request, frameLength)` sends a request and resolves with the next
 * complete answer frame, whose total length `frameLength(buffered)` reads from its first 4 bytes.
 */
function connect(hostPort) {
  const [host, port] = splitHostPort(hostPort);
  const socket = new Socket();
  let buffered = Buffer.alloc(0);
  let pending = null; // { frameLength, resolve, reject }
  const fail = (error) => {
    socket.destroy();
    pending?.reject(error);
    pending = null;
  };
  socket.setTimeout(timeoutMs, () => fail(new Error(`no answer within ${timeoutMs} ms`)));
  socket.on('error', fail);
  socket.on('end', () => fail(new Error('connection closed before a full answer')));
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    const total = pending && buffered.length >= 4 ? pending.frameLength(buffered) : Infinity;
    if (buffered.length >= total) {
      const { resolve } = pending;
      pending = null;
      resolve(buffered.subarray(0, total));
      buffered = buffered.subarray(total);
    }
  });
  const connected = new Promise((resolve, reject) => {
    pending = { frameLength: () => Infinity, resolve, reject };
    socket.connect(port, host, () => {
      pending = null;
      resolve();
    });
  });
  return {
    async ask(request, frameLength) {
      await connected;
      return new Promise((resolve, reject) => {
        pending = { frameLength, resolve, reject };
        socket.write(request);
      });
    },
    close: () => socket.destroy(),
  };
}

/** One request on a fresh connection. */
async function roundTrip(hostPort, request, frameLength) {
  const connection = connect(hostPort);
  try {
    return await connection.ask(request, frameLength);
  } finally {
    connection.close();
  }
}

function splitHostPort(hostPort) {
  const i = hostPort.lastIndexOf(':');
  if (i < 0) throw new Error(`expected host:port, got ${hostPort}`);
  return [hostPort.slice(0, i), Number(hostPort.slice(i + 1))];
}

// ---------------------------------------------------------------- Kafka

/** Metadata v4 (the oldest version Kafka 4 still accepts; not yet a "flexible" version). */
async function probeKafka(hostPort) {
  const correlationId = 0x1eadbeef & 0x7fffffff;
  const clientId = Buffer.from('leadstream-infra-probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let o = 0;
  o = body.writeInt16BE(3, o); // api_key: Metadata
  o = body.writeInt16BE(4, o); // api_version
  o = body.writeInt32BE(correlationId, o);
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  o = body.writeInt32BE(-1, o); // topics: null = all topics
  body.writeInt8(0, o); // allow_auto_topic_creation: false
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);

  const frame = await roundTrip(hostPort, Buffer.concat([size, body]), (b) => 4 + b.readInt32BE(0));
  const r = reader(frame, 4);
  if (r.int32() !== correlationId) throw new Error('correlation id mismatch');
  r.int32(); // throttle_time_ms
  const brokers = r.array(() => ({ nodeId: r.int32(), host: r.string(), port: r.int32(), rack: r.string() }));
  const clusterId = r.string();
  const controllerId = r.int32();
  const topics = r.array(() => {
    const errorCode = r.int16();
    const name = r.string();
    r.int8(); // is_internal
    const partitions = r.array(() => {
      r.int16(); // error_code
      r.int32(); // partition_index
      r.int32(); // leader_id
      r.array(() => r.int32()); // replica_nodes
      r.array(() => r.int32()); // isr_nodes
    });
    return { errorCode, name, partitions: partitions.length };
  });

  if (brokers.length === 0) throw new Error('broker is up but lists no live broker yet (still fenced)');
  if (controllerId < 0) throw new Error('broker is up but knows no active controller yet');
  const self = brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(',');
  return `kafka ready: cluster ${clusterId}, brokers ${self}, controller ${controllerId}, ${topics.length} topic(s)`;
}

function reader(buf, offset) {
  let o = offset;
  const r = {
    int8: () => buf.readInt8((o += 1) - 1),
    int16: () => buf.readInt16BE((o += 2) - 2),
    int32: () => buf.readInt32BE((o += 4) - 4),
    string: () => {
      const n = r.int16();
      if (n < 0) return null;
      return buf.toString('utf8', o, (o += n));
    },
    array: (item) => {
      const n = r.int32();
      const out = [];
      for (let i = 0; i < n; i++) out.push(item());
      return out;
    },
  };
  return r;
}

// ---------------------------------------------------------------- MongoDB wire protocol (FerretDB)

const OP_MSG = 2013;
let requestId = 1;

async function mongoCommand(connection, command) {
  const doc = encodeBson({ ...command, $db: 'admin' });
  const header = Buffer.alloc(16 + 4 + 1);
  header.writeInt32LE(header.length + doc.length, 0); // messageLength
  header.writeInt32LE(requestId++, 4); // requestID
  header.writeInt32LE(0, 8); // responseTo
  header.writeInt32LE(OP_MSG, 12); // opCode
  header.writeUInt32LE(0, 16); // flagBits
  header.writeUInt8(0, 20); // section kind 0: body
  const reply = await connection.ask(Buffer.concat([header, doc]), (b) => b.readInt32LE(0));
  if (reply.readInt32LE(12) !== OP_MSG) throw new Error(`unexpected opCode ${reply.readInt32LE(12)}`);
  if (reply.readUInt8(20) !== 0) throw new Error('unexpected OP_MSG section kind');
  const result = decodeBson(reply, 21);
  if (result.ok !== 1) throw new Error(`${Object.keys(command)[0]} failed: ${JSON.stringify(result)}`);
  return result;
}

async function probeMongo(hostPort) {
  const connection = connect(hostPort);
  let hello, info;
  try {
    hello = await mongoCommand(connection, { hello: 1 });
    if (hello.isWritablePrimary !== true) throw new Error('hello: not a writable primary');
    await mongoCommand(connection, { ping: 1 });
    info = await mongoCommand(connection, { buildInfo: 1 });
  } finally {
    connection.close();
  }
  const ferret = info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion}, ` : '';
  return `mongodb ready: ${ferret}MongoDB-compatible ${info.version}, wire ${hello.minWireVersion}..${hello.maxWireVersion}`;
}

/** BSON for flat documents of int32 and string values: all the commands above need. */
function encodeBson(doc) {
  const parts = [];
  for (const [key, value] of Object.entries(doc)) {
    const name = Buffer.from(`${key}\0`);
    if (typeof value === 'number') {
      const v = Buffer.alloc(4);
      v.writeInt32LE(value);
      parts.push(Buffer.from([0x10]), name, v);
    } else {
      const s = Buffer.from(`${value}\0`);
      const len = Buffer.alloc(4);
      len.writeInt32LE(s.length);
      parts.push(Buffer.from([0x02]), name, len, s);
    }
  }
  const body = Buffer.concat([...parts, Buffer.from([0])]);
  const len = Buffer.alloc(4);
  len.writeInt32LE(body.length + 4);
  return Buffer.concat([len, body]);
}

/** Decodes the top level of a BSON document; nested documents and arrays are skipped. */
function decodeBson(buf, start) {
  const end = start + buf.readInt32LE(start);
  const out = {};
  let o = start + 4;
  while (o < end - 1) {
    const type = buf.readUInt8(o++);
    const nameEnd = buf.indexOf(0, o);
    const name = buf.toString('utf8', o, nameEnd);
    o = nameEnd + 1;
    switch (type) {
      case 0x01: out[name] = buf.readDoubleLE(o); o += 8; break;
      case 0x02: case 0x0d: case 0x0e: { const n = buf.readInt32LE(o); out[name] = buf.toString('utf8', o + 4, o + 3 + n); o += 4 + n; break; }
      case 0x03: case 0x04: o += buf.readInt32LE(o); break;
      case 0x05: o += 4 + 1 + buf.readInt32LE(o); break;
      case 0x07: o += 12; break;
      case 0x08: out[name] = buf.readUInt8(o) === 1; o += 1; break;
      case 0x09: case 0x11: o += 8; break;
      case 0x0a: case 0x06: case 0x7f: case 0xff: out[name] = null; break;
      case 0x10: out[name] = buf.readInt32LE(o); o += 4; break;
      case 0x12: out[name] = Number(buf.readBigInt64LE(o)); o += 8; break;
      case 0x13: o += 16; break;
      default: throw new Error(`unsupported BSON type 0x${type.toString(16)} for field ${name}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- main

const probes = { kafka: probeKafka, mongodb: probeMongo };
if (!probes[kind] || !address) {
  console.error('usage: node probe.mjs kafka|mongodb HOST:PORT [--timeout MS]');
  process.exit(2);
}
try {
  console.log(await probes[kind](address));
} catch (error) {
  console.error(`${kind} not ready at ${address}: ${error.code ?? error.message}`);
  process.exit(1);
}
