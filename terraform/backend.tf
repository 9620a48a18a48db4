# State lives in the S3 bucket created by terraform/bootstrap: versioned, KMS-encrypted, with
# DynamoDB locking. Each workspace (development, staging, production) has its own state object
# under env:/<workspace>/. Bucket, table and key alias are given at init time:
#   terraform init -backend-config=backend.hcl
# where backend.hcl is the `backend_config` output of the bootstrap configuration.
terraform {
  backend "s3" {
    key                  = "storymagic/terraform.tfstate"
    region               = "eu-central-1"
    encrypt              = true
    workspace_key_prefix = "env"
  }
}
