locals {
  tags = merge(var.tags, { Component = "api" })
}

resource "aws_kms_key" "ecr" {
  description             = "Encryption of the ${var.repository_name} images"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = local.tags
}

resource "aws_ecr_repository" "this" {
  name                 = var.repository_name
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }

  tags = local.tags
}

# Images are tagged with the commit SHA and kept for StoryMagic's 30 days. ECR has no "keep" rule:
# an image that runs for longer than the retention without a new deploy expires too (running
# tasks keep it; new tasks could not pull it), so deploy at least once per retention period.
resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Expire untagged layers after a day"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 1
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Expire images older than ${var.image_retention_days} days"
        selection = {
          tagStatus   = "any"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.image_retention_days
        }
        action = { type = "expire" }
      },
    ]
  })
}
