locals {
  tags                     = merge(var.tags, { Component = "iam" })
  github_oidc_provider_arn = var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

# ---------------------------------------------------------------------------------------------
# ECS task role: what the running application may do.
# ---------------------------------------------------------------------------------------------
resource "aws_iam_role" "task" {
  name               = "${var.name}-ecs-task"
  description        = "StoryMagic API tasks: secrets, logs, storage bucket, traces"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = local.tags
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "ReadSecrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = var.secret_arns
  }

  statement {
    sid       = "DecryptSecrets"
    actions   = ["kms:Decrypt"]
    resources = [var.secrets_kms_key_arn]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [var.log_group_arn, "${var.log_group_arn}:*"]
  }

  # The service keeps only story assets in the bucket: the files under assets/ and their private
  # index under asset-index/. Nothing else in the bucket can be listed, read or written.
  statement {
    sid       = "ListStoryAssets"
    actions   = ["s3:ListBucket"]
    resources = [var.storage_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["assets/*", "asset-index/*"]
    }
  }

  statement {
    sid       = "ReadWriteStoryAssets"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${var.storage_bucket_arn}/assets/*", "${var.storage_bucket_arn}/asset-index/*"]
  }

  statement {
    sid       = "UseStorageKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.storage_kms_key_arn]
  }

  # The ADOT collector sidecar sends the API's spans with the task role. X-Ray APIs support no
  # resource-level permissions.
  statement {
    sid       = "WriteTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "storymagic-api"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# ---------------------------------------------------------------------------------------------
# ECS execution role: what ECS needs to start the containers.
# ---------------------------------------------------------------------------------------------
resource "aws_iam_role" "execution" {
  name               = "${var.name}-ecs-execution"
  description        = "Starts StoryMagic API tasks: image pull, log groups, startup secrets"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = local.tags
}

data "aws_iam_policy_document" "execution" {
  # GetAuthorizationToken supports no resource-level permissions.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullImages"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    resources = [var.ecr_repository_arn]
  }

  statement {
    sid       = "DecryptImages"
    actions   = ["kms:Decrypt"]
    resources = [var.ecr_kms_key_arn]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [var.log_group_arn, "${var.log_group_arn}:*", var.collector_log_group_arn, "${var.collector_log_group_arn}:*"]
  }

  statement {
    sid       = "StartupSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = var.secret_arns
  }

  statement {
    sid       = "DecryptStartupSecrets"
    actions   = ["kms:Decrypt"]
    resources = [var.secrets_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "start-storymagic-api"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# ---------------------------------------------------------------------------------------------
# Deployment role: assumed by the GitHub Actions deploy workflow through OIDC (no stored keys).
# ---------------------------------------------------------------------------------------------
resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  tags           = local.tags
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 0 : 1

  url = "https://token.actions.githubusercontent.com"
}

data "aws_iam_policy_document" "deploy_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:environment:${var.environment}"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${var.name}-deploy"
  description          = "GitHub Actions: push images, register task definitions, run progressive deploys"
  assume_role_policy   = data.aws_iam_policy_document.deploy_assume.json
  max_session_duration = 7200
  tags                 = local.tags
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushImages"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
    ]
    resources = [var.ecr_repository_arn]
  }

  statement {
    sid       = "EncryptImages"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.ecr_kms_key_arn]
  }

  # Task definition registration and listing support no resource-level permissions.
  statement {
    sid       = "TaskDefinitions"
    actions   = ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions", "ecs:DeregisterTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid       = "TagTaskDefinitions"
    actions   = ["ecs:TagResource"]
    resources = ["arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:task-definition/${var.task_definition_family}:*"]
  }

  statement {
    sid       = "UpdateService"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService", "ecs:UpdateServicePrimaryTaskSet", "ecs:CreateTaskSet", "ecs:DescribeTaskSets", "ecs:UpdateTaskSet", "ecs:DeleteTaskSet"]
    resources = [var.ecs_service_arn, "${var.ecs_service_arn}/*", "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:task-set/${element(split("/", var.ecs_cluster_arn), 1)}/*"]
  }

  statement {
    sid       = "TagTaskSets"
    actions   = ["ecs:TagResource"]
    resources = ["arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:task-set/${element(split("/", var.ecs_cluster_arn), 1)}/*"]
  }

  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.task.arn, aws_iam_role.execution.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    sid       = "ShiftTraffic"
    actions   = ["elasticloadbalancing:ModifyListener"]
    resources = [var.https_listener_arn]
  }

  # Describe calls of ELB and CloudWatch support no resource-level permissions.
  statement {
    sid       = "ObserveHealth"
    actions   = ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTargetGroups", "cloudwatch:DescribeAlarms"]
    resources = ["*"]
  }

  statement {
    sid       = "DeployParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter"]
    resources = ["arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:parameter${var.deploy_parameter_path}/*"]
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "progressive-deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
