output "bucket_name" {
  description = "Name of the storage bucket (STORAGE_BUCKET)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the storage bucket."
  value       = aws_s3_bucket.this.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the bucket."
  value       = aws_kms_key.storage.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the storage bucket, CloudFront's origin for /assets/stories/*."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}
