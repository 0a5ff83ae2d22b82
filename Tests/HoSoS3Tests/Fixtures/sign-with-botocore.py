# Signs one S3 request with botocore's S3SigV4Auth (AWS's own SDK core) at a fixed time, with AWS's
# documented example key pair, and prints the three headers it adds, one "name: value" a line.
#
#   sign-with-botocore.py METHOD HOST PATH TIMESTAMP REGION [?NAME=VALUE ...] [NAME:VALUE ...] [--body-file FILE]
#
# PATH and the query items are given as they are, not encoded: the URL is built the way botocore builds
# S3 URLs itself (botocore.utils.percent_encode: the key with '/' and '~' kept, query names and values with
# only unreserved characters kept). TIMESTAMP is yyyymmddThhmmssZ.
import datetime
import sys
from unittest import mock

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode

method, host, path, stamp, region = sys.argv[1:6]
headers, query, body, rest = {}, [], b'', sys.argv[6:]
while rest:
    item = rest.pop(0)
    if item == '--body-file':
        with open(rest.pop(0), 'rb') as f:
            body = f.read()
    elif item.startswith('?'):
        name, value = item[1:].split('=', 1)
        query.append(f'{percent_encode(name)}={percent_encode(value)}')
    else:
        name, value = item.split(':', 1)
        headers[name] = value
url = f'http://{host}{percent_encode(path, safe="/~")}' + ('?' + '&'.join(query) if query else '')
credentials = Credentials('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
request = AWSRequest(method=method, url=url, headers=headers, data=body)
when = datetime.datetime.strptime(stamp, '%Y%m%dT%H%M%SZ')
with mock.patch('botocore.auth.get_current_datetime', return_value=when):
    S3SigV4Auth(credentials, 's3', region).add_auth(request)
print(f'url: {url}')
for name in ('x-amz-date', 'x-amz-content-sha256', 'Authorization'):
    print(f'{name}: {request.headers[name]}')
