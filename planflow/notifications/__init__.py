"""Notifications: rendering, building, queueing and sending e-mail (an edge ring).

render.py   one Jinja2 environment; each template's context is a dataclass
message.py  EmailMessage with injection-proof headers and a stable Message-ID
outbox.py   queue (unique key, insert-or-nothing), claim with a lease, mark sent/failed
sender.py   the sender seam: a Protocol, errors that say retry or not, a recording sender
smtp.py     aiosmtplib, one connection per batch
eml.py      no SMTP configured: .eml files in a local folder
"""
