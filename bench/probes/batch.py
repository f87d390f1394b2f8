# CloudEvents batch mode: conns keep-alive connections, each POSTing batches of `size` 1 KB events
# (data_base64, unique ids) for secs seconds; prints events/s and the request latency percentiles.
import http.client, time, base64, uuid, sys, threading, json
port=int(sys.argv[1]); conns=int(sys.argv[2]); secs=float(sys.argv[3]); size=int(sys.argv[4]) if len(sys.argv)>4 else 100
topic='bench.seq'
auth = 'Basic ' + base64.b64encode(b'admin:admin-dev-only').decode()
data=base64.b64encode(b'x'*1024).decode()
lat=[]; lock=threading.Lock(); stop=time.time()+secs
def body():
    p=str(uuid.uuid4())
    return json.dumps([{'specversion':'1.0','id':'%s-%d'%(p,i),'source':'/b','type':topic,
                        'datacontenttype':'application/octet-stream','data_base64':data} for i in range(size)]).encode()
def run():
    c=http.client.HTTPConnection('localhost', port); mine=[]
    h={'Authorization': auth,'Content-Type':'application/cloudevents-batch+json'}
    while time.time()<stop:
        b=body()
        t=time.perf_counter(); c.request('POST','/api/v1/topics/%s/events'%topic,body=b,headers=h); r=c.getresponse(); r.read()
        if r.status!=202: print(r.status, r.read()[:200]); break
        mine.append((time.perf_counter()-t)*1000)
    with lock: lat.extend(mine)
ts=[threading.Thread(target=run) for _ in range(conns)]
[t.start() for t in ts]; [t.join() for t in ts]
lat.sort(); n=len(lat)
print('c=%d batch=%d %.0f events/s %.1f batches/s p50=%.2f p99=%.2f ms' % (conns, size, n*size/secs, n/secs, lat[n//2], lat[int(n*.99)]))
