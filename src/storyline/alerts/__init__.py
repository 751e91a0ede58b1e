"""Alerts, a stage beside the others: webhooks told once about each new statement and each position shift.

An outbox in the store: `record_alerts` turns what the store holds now into alerts keyed by
what they are about (article and offsets, proposition and both ends of a shift), so
re-analysis or a restart never makes an old alert new; each new alert is owed to every
webhook that wants its kind. `deliver_due` POSTs what is owed, logs every attempt, and
retries failures with exponential backoff; a delivery marked delivered is never sent
again, and each POST carries its delivery id so a receiver can drop the rare repeat after
a crash between its 200 and our commit.

Webhook targets are checked against SSRF both when registered and before every POST: the
host must resolve to public addresses only (no loopback, private, link-local, CGNAT or
metadata ranges) unless the webhook was registered with allow_private; redirects are not
followed.

`outbox` records alerts, `delivery` POSTs them and retries, `guard` checks each target.
"""
