import http.client, time, base64, uuid, sys, statistics
host, port = 'localhost', int(sys.argv[1]); n = int(sys.argv[2]); topic = sys.argv[3] if len(sys.argv) > 3 else 'bench.seq'
auth = 'Basic ' + base64.b64encode(b'admin:admin-dev-only').decode()
c = http.client.HTTPConnection(host, port)
body = b'x' * 1024
lat = []
for i in range(n):
    h = {'Authorization': auth, 'Content-Type': 'application/octet-stream', 'ce-id': str(uuid.uuid4()), 'ce-source': '/seq', 'ce-type': topic, 'ce-specversion': '1.0'}
    t = time.perf_counter()
    c.request('POST', '/api/v1/topics/%s/events' % topic, body=body, headers=h)
    r = c.getresponse(); r.read()
    lat.append((time.perf_counter() - t) * 1000)
    if r.status != 202: print(r.status); break
lat.sort()
print('n=%d p50=%.2f p90=%.2f p99=%.2f min=%.2f ms' % (len(lat), lat[len(lat)//2], lat[int(len(lat)*.9)], lat[int(len(lat)*.99)], lat[0]))
