"""New-house contracts (issue 11) in plain Python, beneath the signing flow: contract entry
(entry.py), the data a contract document is rendered from (document_data.py), seals and their
images (seals.py), and stamping + signing a contract PDF (signing.py). The room claim is
services/room_claim.py, SMS codes netsign_console/sms/. No Reflex here."""
