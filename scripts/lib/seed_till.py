"""Seeds the demo café's till through the console, as a person would (scripts/dev).

Signs each person in with their email and password, sets their till PIN on "My account", then,
as the owner, makes a pairing code for the till "Lada" on "Locations & people -> Tills" and
prints it. Usage: seed_till.py ORIGIN OWNER_EMAIL OWNER_PASSWORD OWNER_PIN [EMAIL PASSWORD PIN]...
"""

import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request


def browser():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def post(opener, url, fields):
    data = urllib.parse.urlencode(fields).encode()
    with opener.open(urllib.request.Request(url, data=data)) as resp:
        return resp.read().decode()


def csrf(opener, url):
    with opener.open(url) as resp:
        page = resp.read().decode()
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    if not found:
        sys.exit(f"no form token on {url}")
    return found.group(1)


def signed_in(origin, email, password):
    opener = browser()
    post(opener, f"{origin}/signin", {"email": email, "password": password, "language": "pl"})
    return opener


def set_pin(origin, opener, pin):
    token = csrf(opener, f"{origin}/console/account")
    page = post(opener, f"{origin}/console/account/pin", {"csrf": token, "pin": pin, "pin_again": pin})
    if "PIN zapisany" not in page and "PIN saved" not in page:
        sys.exit("the PIN was not saved")


def main():
    origin, people = sys.argv[1], sys.argv[2:]
    owner = None
    for i in range(0, len(people), 3):
        email, password, pin = people[i : i + 3]
        opener = signed_in(origin, email, password)
        set_pin(origin, opener, pin)
        owner = owner or opener
    token = csrf(owner, f"{origin}/console/tills")
    page = post(owner, f"{origin}/console/tills/pair", {"csrf": token, "label": "Lada", "location": "1"})
    code = re.search(r"/staff/pair\?code=([0-9A-Z]{8})", page)
    if not code:
        sys.exit("no pairing code")
    print(code.group(1))


main()
