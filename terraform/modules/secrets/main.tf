locals {
  tags = merge(var.tags, { Component = "secrets" })
}

data "aws_region" "current" {}
data "aws_partition" "current" {}

resource "aws_kms_key" "secrets" {
  description             = "Encryption of the ${var.name_prefix}/* secrets"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = local.tags
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.name_prefix}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

# Values of the two external secrets are put by an operator (see terraform/README.md); Terraform
# never sees them.
resource "aws_secretsmanager_secret" "openai_api_key" {
  name                    = "${var.name_prefix}/openai-api-key"
  description             = "OpenAI API key (string); rotated manually"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = local.tags
}

resource "aws_secretsmanager_secret" "firebase_config" {
  name                    = "${var.name_prefix}/firebase-config"
  description             = "Firebase service account key (JSON with project_id)"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = local.tags
}

resource "aws_secretsmanager_secret" "database_credentials" {
  name                    = "${var.name_prefix}/database-credentials"
  description             = "PostgreSQL credentials (JSON: username, password, host, port, dbname); rotated every ${var.rotation_days} days"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = local.tags
}

# The initial password; read once when the database is created. Afterwards the rotation
# function owns the password and Terraform ignores it (here and on the RDS instance).
data "aws_secretsmanager_random_password" "database" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret_version" "database_credentials" {
  secret_id = aws_secretsmanager_secret.database_credentials.id
  secret_string = jsonencode({
    engine   = "postgres"
    host     = var.db_host
    port     = var.db_port
    dbname   = var.db_name
    username = var.db_username
    password = data.aws_secretsmanager_random_password.database.random_password
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

# AWS's published single-user rotation function for PostgreSQL, deployed into the VPC.
resource "aws_serverlessapplicationrepository_cloudformation_stack" "rotation" {
  count = var.enable_rotation ? 1 : 0

  name             = "${var.name_prefix}-db-credentials-rotation"
  application_id   = "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser"
  semantic_version = var.rotation_application_version
  capabilities     = ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"]

  parameters = {
    functionName        = "${var.name_prefix}-db-credentials-rotation"
    endpoint            = "https://secretsmanager.${data.aws_region.current.region}.${data.aws_partition.current.dns_suffix}"
    vpcSubnetIds        = join(",", var.rotation_subnet_ids)
    vpcSecurityGroupIds = var.rotation_security_group_id
    kmsKeyArn           = aws_kms_key.secrets.arn
  }

  tags = local.tags
}

resource "aws_secretsmanager_secret_rotation" "database_credentials" {
  count = var.enable_rotation ? 1 : 0

  secret_id           = aws_secretsmanager_secret.database_credentials.id
  rotation_lambda_arn = aws_serverlessapplicationrepository_cloudformation_stack.rotation[0].outputs["RotationLambdaARN"]

  rotation_rules {
    automatically_after_days = var.rotation_days
  }

  depends_on = [aws_secretsmanager_secret_version.database_credentials]
}
