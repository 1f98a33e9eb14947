"""The data lake bucket on S3: ``client`` (the one boto3 client, its executor and the
translation of S3 failures into connection states), ``keys`` (which keys a user may read and
write), ``objects`` (browsing and deleting) and ``multipart`` (the multipart upload protocol)."""
