"""Connection Check-In as a self-hosted web service (flask-ask-sdk), for tunnels and own servers.

Not part of the Lambda package: it wraps the same skill object that ``lambda/lambda_function.py``
builds, verifies that requests come from Alexa, and serves them over HTTP.
"""
