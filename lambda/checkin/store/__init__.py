"""Persistence in DynamoDB through the low-level botocore client (no boto3: cold starts)."""
