import http.client, time, base64, sys
c = http.client.HTTPConnection('localhost', int(sys.argv[1])); lat=[]
auth = 'Basic ' + base64.b64encode(b'admin:admin-dev-only').decode()
for i in range(int(sys.argv[2])):
    t=time.perf_counter(); c.request('GET', sys.argv[3], headers={'Authorization': auth}); r=c.getresponse(); r.read(); lat.append((time.perf_counter()-t)*1000)
lat.sort(); print(sys.argv[3], 'p50=%.2f p90=%.2f p99=%.2f min=%.2f' % (lat[len(lat)//2], lat[int(len(lat)*.9)], lat[int(len(lat)*.99)], lat[0]))
