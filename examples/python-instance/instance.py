#!/usr/bin/python3
"""A Solar Wind instance in Python, over AMQP 1.0 (Debian's python3-qpid-proton).

It is an instance of a direct purpose (it competes for the purpose's events with the purpose's other
instances, Java or not) and of a fanout purpose (it gets its own copy of every event while it runs),
and it fires an event for each direct event it handles. It reads each event's CloudEvents attributes
as the CloudEvents AMQP binding has them (application properties cloudEvents_type, cloudEvents_id,
...; the data in the body, its content type as the AMQP content-type), and knows no Solar Wind names
but the destinations: a direct purpose's queue by its fully qualified name
solarwind.topic.<topic>::solarwind.direct.<topic>.<purpose>, a fanout purpose's address
solarwind.fanout.<topic>.<purpose>, and solarwind.inbound to publish to.

It prints one JSON line per thing that happens (ready, event, fired, published), which is what
AmqpInstancesIT reads. See README.md.
"""
import argparse
import base64
import json
import sys
import urllib.request
import uuid

from proton import Message, SSLDomain
from proton.handlers import MessagingHandler
from proton.reactor import Container

INBOUND = "solarwind.inbound"
PREFIX = "cloudEvents_"  # the binding's preferred prefix; Solar Wind also reads cloudEvents:
SOURCE = "/examples/python-instance"


def direct_queue(topic_purpose):
    topic, purpose = topic_purpose.split("/", 1)
    return "solarwind.topic.%s::solarwind.direct.%s.%s" % (topic, topic, purpose)


def fanout_address(topic_purpose):
    topic, purpose = topic_purpose.split("/", 1)
    return "solarwind.fanout.%s.%s" % (topic, purpose)


def say(**line):
    print(json.dumps(line, default=str, sort_keys=True), flush=True)


def as_bytes(body):
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body, default=str).encode("utf-8")


def cloud_event(type_, id_, data, content_type, source=SOURCE, prefix=PREFIX, extra=None):
    """A CloudEvent in the AMQP binding's binary mode: attributes as application properties, data in a Data section."""
    properties = {prefix + "specversion": "1.0", prefix + "type": type_, prefix + "id": id_, prefix + "source": source}
    properties.update({prefix + k: v for k, v in (extra or {}).items()})
    message = Message(body=data, inferred=True, properties=properties, durable=True)
    if content_type:
        message.content_type = content_type
    return message


def register(args):
    """Declares the purposes through the admin API (PUT, idempotent), as the Java handler API does at deployment."""
    token = base64.b64encode(("%s:%s" % (args.admin_user, args.admin_password)).encode("utf-8")).decode("ascii")
    for exchange, specs in (("direct", args.direct), ("fanout", args.fanout)):
        for tp in specs:
            topic, purpose = tp.split("/", 1)
            request = urllib.request.Request("%s/topics/%s/purposes/%s" % (args.api, topic, purpose), method="PUT",
                                             data=json.dumps({"exchange": exchange}).encode("utf-8"),
                                             headers={"Content-Type": "application/json", "Authorization": "Basic " + token})
            with urllib.request.urlopen(request, timeout=30) as answer:
                say(registered=tp, exchange=exchange, status=answer.status)


class Instance(MessagingHandler):
    def __init__(self, args, to_publish):
        # settle by hand: a direct event is accepted only once the event it fires is stored
        super().__init__(auto_accept=False, prefetch=args.prefetch)
        self.args = args
        self.to_publish = to_publish
        self.receivers = {}
        self.pending_links = 0
        self.received = 0
        self.outstanding = {}  # fired delivery -> the direct delivery it answers
        self.publishing = {}   # published delivery -> event id
        self.stopped = False
        self.failed = False

    def on_start(self, event):
        ssl = None
        if self.args.ca:  # amqps:// to the broker's TLS acceptor, trusting this PEM certificate (or CA)
            ssl = SSLDomain(SSLDomain.MODE_CLIENT)
            ssl.set_trusted_ca_db(self.args.ca)
            ssl.set_peer_authentication(SSLDomain.VERIFY_PEER_NAME)
        self.connection = event.container.connect(self.args.url, user=self.args.user, password=self.args.password,
                                                  allowed_mechs="PLAIN", heartbeat=30, ssl_domain=ssl,
                                                  reconnect=False)
        for tp in self.args.direct:
            self.receivers[event.container.create_receiver(self.connection, direct_queue(tp))] = ("direct", tp)
        for tp in self.args.fanout:
            self.receivers[event.container.create_receiver(self.connection, fanout_address(tp))] = ("fanout", tp)
        self.pending_links = len(self.receivers)
        self.sender = event.container.create_sender(self.connection, INBOUND)
        if self.args.seconds:
            event.container.schedule(self.args.seconds, self)
        if not self.receivers:
            self.ready(event)

    def on_timer_task(self, event):
        say(stopping="after %s s" % self.args.seconds)
        self.stop(event)

    def on_link_opened(self, event):
        if event.receiver in self.receivers:
            self.pending_links -= 1
            if self.pending_links == 0:
                self.ready(event)

    def ready(self, event):
        say(ready=True, direct=self.args.direct, fanout=self.args.fanout)
        for spec in self.to_publish:
            self.publish(spec)

    def publish(self, spec):
        if "data_base64" in spec:
            data = base64.b64decode(spec["data_base64"])
        else:
            data = spec.get("data", "").encode("utf-8")
        message = cloud_event(spec.get("type"), spec.get("id") or str(uuid.uuid4()), data, spec.get("contentType"),
                              source=spec.get("source", SOURCE), prefix=spec.get("prefix", PREFIX))
        if spec.get("type") is None:
            del message.properties[spec.get("prefix", PREFIX) + "type"]
        self.publishing[self.sender.send(message)] = message.properties[spec.get("prefix", PREFIX) + "id"]

    def on_message(self, event):
        exchange, topic_purpose = self.receivers[event.receiver]
        message = event.message
        attributes = {k: v for k, v in (message.properties or {}).items()
                      if k.startswith("cloudEvents_") or k.startswith("cloudEvents:")}
        data = as_bytes(message.body)
        # Proton 0.37 answers a missing content-type with the symbol 'None'
        content_type = None if message.content_type in (None, "", "None") else str(message.content_type)
        say(event=attributes.get("cloudEvents_id"), exchange=exchange, purpose=topic_purpose,
            attributes=attributes, contentType=content_type,
            section="data" if message.inferred else "value", data_base64=base64.b64encode(data).decode("ascii"))
        if exchange == "direct" and self.args.fire:
            # the fired event's id comes from the handled one's: should this event come again (a crash
            # before the accept below), the broker drops the second firing as a duplicate
            fired = cloud_event(self.args.fire, "fired-" + str(attributes.get("cloudEvents_id")),
                                json.dumps({"handled": attributes.get("cloudEvents_id"), "by": "python"}),
                                "application/json")
            self.outstanding[self.sender.send(fired)] = (event.delivery, fired.properties[PREFIX + "id"])
        else:
            self.accept(event.delivery)
        self.count(event)

    def on_accepted(self, event):
        if event.delivery in self.outstanding:
            handled, fired_id = self.outstanding.pop(event.delivery)
            self.accept(handled)
            say(fired=fired_id)
        elif event.delivery in self.publishing:
            say(published=self.publishing.pop(event.delivery), outcome="accepted")
        self.maybe_stop(event)

    def on_rejected(self, event):
        self.refused(event, "rejected")

    def on_released(self, event):
        self.refused(event, "released")

    def refused(self, event, outcome):
        condition = event.delivery.remote.condition
        if event.delivery in self.outstanding:
            handled, fired_id = self.outstanding.pop(event.delivery)
            self.release(handled, delivered=True)  # the broker delivers it again after the purpose's delay
            say(fired=fired_id, outcome=outcome, condition=str(condition))
        elif event.delivery in self.publishing:
            say(published=self.publishing.pop(event.delivery), outcome=outcome, condition=str(condition))
        self.maybe_stop(event)

    def count(self, event):
        self.received += 1
        self.maybe_stop(event)

    def maybe_stop(self, event):
        if self.args.count and self.received >= self.args.count and not self.outstanding and not self.publishing:
            self.stop(event)
        elif not self.receivers and not self.publishing and not self.outstanding:
            self.stop(event)

    def stop(self, event):
        if not self.stopped:
            self.stopped = True
            say(done=True, received=self.received)
            event.container.stop()

    # Any error ends the process with exit code 1 (no reconnecting here: a supervisor starts it again, and the
    # broker delivers again whatever it had not accepted).
    def on_transport_error(self, event):
        self.fail(event, "transport", event.transport.condition)

    def on_connection_error(self, event):
        self.fail(event, "connection", event.connection.remote_condition)

    def on_link_error(self, event):
        self.fail(event, "link " + str(event.link.name), event.link.remote_condition)

    def on_disconnected(self, event):
        if not self.stopped:
            self.fail(event, "connection", "disconnected")

    def fail(self, event, what, condition):
        if not self.stopped:
            say(error="%s: %s" % (what, condition))
            self.failed = True
            self.stopped = True
            event.container.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="amqp://localhost:61616", help="the broker's AMQP URL (amqps:// for TLS)")
    parser.add_argument("--ca", metavar="PEM", help="with amqps://: the certificate (or CA) to trust")
    parser.add_argument("--user", default="handler")
    parser.add_argument("--password", default="handler-dev-only")
    parser.add_argument("--direct", action="append", default=[], metavar="TOPIC/PURPOSE", help="a direct purpose to serve")
    parser.add_argument("--fanout", action="append", default=[], metavar="TOPIC/PURPOSE", help="a fanout purpose to serve")
    parser.add_argument("--fire", metavar="TYPE", help="fire an event of this type for each direct event handled")
    parser.add_argument("--publish", metavar="FILE", help="JSON lines of events to publish once connected ('-': standard input)")
    parser.add_argument("--count", type=int, default=0, help="stop after this many events (0: run on)")
    parser.add_argument("--seconds", type=float, default=0, help="stop after this many seconds (0: run on)")
    parser.add_argument("--prefetch", type=int, default=10, help="link credit: events taken ahead of handling")
    parser.add_argument("--register", action="store_true", help="declare the purposes through the admin API first")
    parser.add_argument("--api", default="http://localhost:9080/api/v1", help="the admin API, for --register")
    parser.add_argument("--admin-user", default="admin")
    parser.add_argument("--admin-password", default="admin-dev-only")
    args = parser.parse_args()
    if args.register:
        register(args)
    to_publish = []
    if args.publish:
        lines = sys.stdin if args.publish == "-" else open(args.publish, encoding="utf-8")
        to_publish = [json.loads(line) for line in lines if line.strip()]
    instance = Instance(args, to_publish)
    Container(instance).run()
    sys.exit(1 if instance.failed else 0)


if __name__ == "__main__":
    main()
