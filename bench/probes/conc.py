import http.client, time, base64, uuid, sys, threading
port=int(sys.argv[1]); conns=int(sys.argv[2]); secs=float(sys.argv[3]); topic='bench.seq'
auth = 'Basic ' + base64.b64encode(b'admin:admin-dev-only').decode(); body=b'x'*1024
lat=[]; lock=threading.Lock(); stop=time.time()+secs
def run():
    c=http.client.HTTPConnection('localhost', port); mine=[]
    while time.time()<stop:
        h={'Authorization': auth,'Content-Type':'application/octet-stream','ce-id':str(uuid.uuid4()),'ce-source':'/c','ce-type':topic,'ce-specversion':'1.0'}
        t=time.perf_counter(); c.request('POST','/api/v1/topics/%s/events'%topic,body=body,headers=h); r=c.getresponse(); r.read()
        mine.append((time.perf_counter()-t)*1000)
    with lock: lat.extend(mine)
ts=[threading.Thread(target=run) for _ in range(conns)]
[t.start() for t in ts]; [t.join() for t in ts]
lat.sort(); n=len(lat)
print('c=%d %.0f/s p50=%.2f p99=%.2f' % (conns, n/secs, lat[n//2], lat[int(n*.99)]))
