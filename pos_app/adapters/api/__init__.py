"""The Smartbills API adapter: wire schemas (schemas.py), error mapping (errors.py), tokens
(auth.py) and the httpx client (client.py). Nothing is imported here so the sandbox can use the
schemas without loading the client."""
