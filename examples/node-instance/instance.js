#!/usr/bin/env node
/*
 * A Solar Wind instance in Node, over AMQP 1.0 (npm's rhea).
 *
 * It is an instance of a direct purpose (it competes for the purpose's events with the purpose's
 * other instances, Java or not) and of a fanout purpose (it gets its own copy of every event while it
 * runs), and it fires an event for each direct event it handles. It reads each event's CloudEvents
 * attributes as the CloudEvents AMQP binding has them (application properties cloudEvents_type,
 * cloudEvents_id, ...; the data in the body, its content type as the AMQP content-type), and knows
 * no Solar Wind names but the destinations: a direct purpose's queue by its fully qualified name
 * solarwind.topic.<topic>::solarwind.direct.<topic>.<purpose>, a fanout purpose's address
 * solarwind.fanout.<topic>.<purpose>, and solarwind.inbound to publish to.
 *
 * It prints one JSON line per thing that happens (ready, event, fired, published), which is what
 * AmqpInstancesIT reads. The same command line as examples/python-instance. See README.md.
 */
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const rhea = require('rhea');

const INBOUND = 'solarwind.inbound';
const PREFIX = 'cloudEvents_'; // the binding's preferred prefix; Solar Wind also reads cloudEvents:
const SOURCE = '/examples/node-instance';
const DATA = 0x75; // an AMQP Data section

const USAGE = `usage: instance.js [--url amqp://localhost:61616] [--ca PEM] [--user handler] [--password handler-dev-only]
       [--direct TOPIC/PURPOSE]... [--fanout TOPIC/PURPOSE]... [--fire TYPE] [--publish FILE]
       [--count N] [--seconds S] [--prefetch N] [--register] [--api URL] [--admin-user U] [--admin-password P]`;

function parse(argv) {
    const args = {url: 'amqp://localhost:61616', user: 'handler', password: 'handler-dev-only', direct: [], fanout: [],
        count: 0, seconds: 0, prefetch: 10, register: false, api: 'http://localhost:9080/api/v1',
        adminUser: 'admin', adminPassword: 'admin-dev-only'};
    const names = {'--url': 'url', '--ca': 'ca', '--user': 'user', '--password': 'password', '--fire': 'fire',
        '--publish': 'publish', '--count': 'count', '--seconds': 'seconds', '--prefetch': 'prefetch', '--api': 'api',
        '--admin-user': 'adminUser', '--admin-password': 'adminPassword'};
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === '--direct' || a === '--fanout') {
            args[a.substring(2)].push(argv[++i]);
        } else if (a === '--register') {
            args.register = true;
        } else if (names[a] && i + 1 < argv.length) {
            const v = argv[++i];
            args[names[a]] = ['count', 'seconds', 'prefetch'].includes(names[a]) ? Number(v) : v;
        } else {
            console.error(a === '--help' || a === '-h' ? USAGE : `unknown argument ${a}\n${USAGE}`);
            process.exit(a === '--help' || a === '-h' ? 0 : 2);
        }
    }
    return args;
}

function say(line) {
    const sorted = {};
    for (const k of Object.keys(line).sort()) sorted[k] = line[k];
    process.stdout.write(JSON.stringify(sorted) + '\n');
}

/** Exits once standard output has taken every line: writes to a pipe are asynchronous, and process.exit drops what is pending. */
function exit(code) {
    process.stdout.write('', () => process.exit(code));
}

function split(topicPurpose) {
    const at = topicPurpose.indexOf('/');
    return [topicPurpose.substring(0, at), topicPurpose.substring(at + 1)];
}
const directQueue = tp => { const [t, p] = split(tp); return `solarwind.topic.${t}::solarwind.direct.${t}.${p}`; };
const fanoutAddress = tp => { const [t, p] = split(tp); return `solarwind.fanout.${t}.${p}`; };

/** A CloudEvent in the AMQP binding's binary mode: attributes as application properties, data in a Data section. */
function cloudEvent(type, id, data, contentType, source = SOURCE, prefix = PREFIX) {
    const properties = {[prefix + 'specversion']: '1.0', [prefix + 'id']: id, [prefix + 'source']: source};
    if (type !== undefined && type !== null) properties[prefix + 'type'] = type;
    const message = {application_properties: properties, body: rhea.message.data_section(Buffer.from(data)), durable: true};
    if (contentType) message.content_type = contentType;
    return message;
}

/** Declares the purposes through the admin API (PUT, idempotent), as the Java handler API does at deployment. */
async function register(args) {
    const auth = 'Basic ' + Buffer.from(`${args.adminUser}:${args.adminPassword}`).toString('base64');
    for (const [exchange, specs] of [['direct', args.direct], ['fanout', args.fanout]]) {
        for (const tp of specs) {
            const [topic, purpose] = split(tp);
            const answer = await fetch(`${args.api}/topics/${topic}/purposes/${purpose}`, {method: 'PUT',
                headers: {'Content-Type': 'application/json', Authorization: auth}, body: JSON.stringify({exchange})});
            if (!answer.ok) throw new Error(`registering ${tp}: ${answer.status} ${await answer.text()}`);
            say({registered: tp, exchange, status: answer.status});
        }
    }
}

function main(args, toPublish) {
    const url = new URL(args.url);
    const container = rhea.create_container({id: 'node-instance-' + crypto.randomUUID()});
    const options = {host: url.hostname, port: Number(url.port || (url.protocol === 'amqps:' ? 5671 : 5672)),
        username: args.user, password: args.password, idle_time_out: 30000, reconnect: false};
    if (url.protocol === 'amqps:') { // the broker's TLS acceptor, trusting this PEM certificate (or CA)
        options.transport = 'tls';
        if (args.ca) options.ca = [fs.readFileSync(args.ca)];
    }
    const connection = container.connect(options);
    const receivers = new Map(); // receiver -> [exchange, topic/purpose]
    const outstanding = new Map(); // fired delivery -> [the direct delivery it answers, fired id]
    const publishing = new Map(); // published delivery -> event id
    const queue = []; // [message, on-sent] waiting for credit
    let pendingLinks = 0;
    let received = 0;
    let stopped = false;

    for (const tp of args.direct) receivers.set(connection.open_receiver({source: directQueue(tp), autoaccept: false, credit_window: args.prefetch}), ['direct', tp]);
    for (const tp of args.fanout) receivers.set(connection.open_receiver({source: fanoutAddress(tp), autoaccept: false, credit_window: args.prefetch}), ['fanout', tp]);
    pendingLinks = receivers.size;
    const sender = connection.open_sender({target: INBOUND});

    function flush() {
        while (queue.length && sender.sendable()) {
            const [message, sent] = queue.shift();
            sent(sender.send(message));
        }
    }
    function send(message, sent) {
        queue.push([message, sent]);
        flush();
    }
    function stop() {
        if (stopped) return;
        stopped = true;
        say({done: true, received});
        connection.close();
        exit(0);
    }
    function maybeStop() {
        const idle = outstanding.size === 0 && publishing.size === 0 && queue.length === 0;
        if ((args.count && received >= args.count && idle) || (receivers.size === 0 && idle)) stop();
    }
    function ready() {
        say({ready: true, direct: args.direct, fanout: args.fanout});
        for (const spec of toPublish) {
            const prefix = spec.prefix || PREFIX;
            const id = spec.id || crypto.randomUUID();
            const data = spec.data_base64 !== undefined ? Buffer.from(spec.data_base64, 'base64') : Buffer.from(spec.data || '', 'utf8');
            send(cloudEvent(spec.type, id, data, spec.contentType, spec.source || SOURCE, prefix), d => publishing.set(d, id));
        }
        maybeStop();
    }

    if (args.seconds) setTimeout(() => { say({stopping: `after ${args.seconds} s`}); stop(); }, args.seconds * 1000);
    if (pendingLinks === 0) sender.once('sender_open', ready);

    container.on('receiver_open', context => {
        if (receivers.has(context.receiver) && --pendingLinks === 0) ready();
    });
    container.on('sendable', flush);
    container.on('message', context => {
        const [exchange, topicPurpose] = receivers.get(context.receiver);
        const message = context.message;
        const attributes = {};
        for (const [k, v] of Object.entries(message.application_properties || {})) {
            if (k.startsWith('cloudEvents_') || k.startsWith('cloudEvents:')) attributes[k] = v instanceof Date ? v.toISOString() : v;
        }
        const body = message.body;
        const isData = body !== null && typeof body === 'object' && body.typecode === DATA;
        const data = isData ? Buffer.from(body.content) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
        const id = attributes.cloudEvents_id;
        say({event: id, exchange, purpose: topicPurpose, attributes, contentType: message.content_type,
            section: isData ? 'data' : 'value', data_base64: data.toString('base64')});
        received++;
        if (exchange === 'direct' && args.fire) {
            // the fired event's id comes from the handled one's: should this event come again (a crash
            // before the accept below), the broker drops the second firing as a duplicate
            const firedId = `fired-${id}`;
            send(cloudEvent(args.fire, firedId, JSON.stringify({handled: id, by: 'node'}), 'application/json'),
                d => outstanding.set(d, [context.delivery, firedId]));
        } else {
            context.delivery.accept();
            maybeStop();
        }
    });
    container.on('accepted', context => {
        if (outstanding.has(context.delivery)) {
            const [handled, firedId] = outstanding.get(context.delivery);
            outstanding.delete(context.delivery);
            handled.accept(); // only now: the fired event is stored
            say({fired: firedId});
        } else if (publishing.has(context.delivery)) {
            say({published: publishing.get(context.delivery), outcome: 'accepted'});
            publishing.delete(context.delivery);
        }
        maybeStop();
    });
    const refused = outcome => context => {
        const condition = context.delivery.remote_state && context.delivery.remote_state.error;
        if (outstanding.has(context.delivery)) {
            const [handled, firedId] = outstanding.get(context.delivery);
            outstanding.delete(context.delivery);
            handled.release({delivery_failed: true}); // the broker delivers it again after the purpose's delay
            say({fired: firedId, outcome, condition: String(condition && condition.description)});
        } else if (publishing.has(context.delivery)) {
            say({published: publishing.get(context.delivery), outcome, condition: String(condition && condition.description)});
            publishing.delete(context.delivery);
        }
        maybeStop();
    };
    container.on('rejected', refused('rejected'));
    container.on('released', refused('released'));
    // Any error ends the process with exit code 1 (no reconnecting here: a supervisor starts it again, and the
    // broker delivers again whatever it had not accepted).
    const fail = what => context => {
        if (stopped) return;
        stopped = true;
        const error = (context.receiver || context.sender || context.connection || {}).error || context.error;
        say({error: `${what}: ${error && (error.description || error.condition || error.message) || error}`});
        exit(1);
    };
    container.on('receiver_error', fail('link'));
    container.on('sender_error', fail('link'));
    container.on('connection_error', fail('connection'));
    container.on('error', fail('error'));
    container.on('disconnected', fail('disconnected'));
}

const args = parse(process.argv.slice(2));
const toPublish = args.publish
    ? fs.readFileSync(args.publish === '-' ? 0 : args.publish, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l))
    : [];
(args.register ? register(args) : Promise.resolve()).then(() => main(args, toPublish), e => {
    console.error(String(e));
    exit(1);
});
