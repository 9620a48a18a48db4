locals {
  tags = merge(var.tags, { Component = "monitoring" })
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

# ---------------------------------------------------------------------------------------------
# Log groups (created before the service and the database export into them).
# ---------------------------------------------------------------------------------------------
resource "aws_cloudwatch_log_group" "ecs" {
  name              = var.ecs_log_group_name
  retention_in_days = var.ecs_log_retention_days
  tags              = merge(local.tags, { Component = "api" })
}

# The ADOT collector sidecar's own log: export failures and throttling show here, apart from the API's lines.
resource "aws_cloudwatch_log_group" "collector" {
  name              = "${var.ecs_log_group_name}-collector"
  retention_in_days = var.collector_log_retention_days
  tags              = merge(local.tags, { Component = "api" })
}

resource "aws_cloudwatch_log_group" "rds" {
  name              = "/aws/rds/instance/${var.db_identifier}/postgresql"
  retention_in_days = var.db_log_retention_days
  tags              = merge(local.tags, { Component = "database" })
}

# ---------------------------------------------------------------------------------------------
# Alarm topic, encrypted with a key CloudWatch and AWS Budgets may use.
# ---------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "alarms_key" {
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "AlarmPublishers"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "alarms" {
  description             = "Encryption of the ${var.name} alarm topic"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.alarms_key.json
  tags                    = local.tags
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = aws_kms_key.alarms.arn
  tags              = local.tags
}

data "aws_iam_policy_document" "alarms_topic" {
  statement {
    sid       = "AccountOwner"
    actions   = ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "AlarmPublishers"
    actions   = ["SNS:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

# ---------------------------------------------------------------------------------------------
# StoryMagic's four alarms.
# ---------------------------------------------------------------------------------------------
resource "aws_cloudwatch_metric_alarm" "high_cpu" {
  alarm_name          = "${var.name}-high-cpu-utilization"
  alarm_description   = "High CPU Utilization: API service CPU above ${var.cpu_alarm_threshold}% for ${var.cpu_alarm_minutes} minutes (notifies and scales out)"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = var.cpu_alarm_minutes
  datapoints_to_alarm = var.cpu_alarm_minutes
  threshold           = var.cpu_alarm_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "missing"

  dimensions = {
    ClusterName = var.cluster_name
    ServiceName = var.service_name
  }

  alarm_actions = [aws_sns_topic.alarms.arn, var.cpu_alarm_scaling_policy_arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = local.tags
}

resource "aws_cloudwatch_metric_alarm" "db_connections" {
  alarm_name          = "${var.name}-database-connection-count"
  alarm_description   = "Database Connection Count above ${var.db_connections_threshold} (max_connections is 200)"
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = var.db_connections_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "missing"

  dimensions = {
    DBInstanceIdentifier = var.db_identifier
  }

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = local.tags
}

# Beside the connection count: requests waiting for a pooled database connection (HikariCP,
# written by the server as the EMF gauge hikaricp_connections_pending). Sustained waits mean the
# pool (or the database) is the bottleneck before the connection count says so.
resource "aws_cloudwatch_metric_alarm" "db_pool_pending" {
  alarm_name          = "${var.name}-database-pool-pending"
  alarm_description   = "More than ${var.db_pool_pending_threshold} requests waiting for a database connection for ${var.db_pool_pending_minutes} minutes"
  namespace           = var.metric_namespace
  metric_name         = "hikaricp_connections_pending"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = var.db_pool_pending_minutes
  datapoints_to_alarm = var.db_pool_pending_minutes
  threshold           = var.db_pool_pending_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = local.tags
}

# Timeout rate = timeouts / generations: story_generation_timeouts (Sum) over the number of
# story_generation_time samples (every generation, whatever its outcome), both emitted by the
# server as dimension-less EMF aggregates in the StoryMagic namespace.
resource "aws_cloudwatch_metric_alarm" "generation_timeout_rate" {
  alarm_name          = "${var.name}-generation-timeout-rate"
  alarm_description   = "Generation Timeout Rate: more than ${var.generation_timeout_rate_threshold}% of story generations timed out in ${var.generation_timeout_period_seconds / 60} minutes"
  evaluation_periods  = 1
  threshold           = var.generation_timeout_rate_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "timeouts"
    return_data = false

    metric {
      namespace   = var.metric_namespace
      metric_name = "story_generation_timeouts"
      stat        = "Sum"
      period      = var.generation_timeout_period_seconds
    }
  }

  metric_query {
    id          = "generations"
    return_data = false

    metric {
      namespace   = var.metric_namespace
      metric_name = "story_generation_time"
      stat        = "SampleCount"
      period      = var.generation_timeout_period_seconds
    }
  }

  metric_query {
    id          = "timeout_rate"
    label       = "Generation timeout rate (%)"
    expression  = "IF(generations > 0, 100 * timeouts / generations, 0)"
    return_data = true
  }

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]
  tags          = local.tags
}

resource "aws_cloudwatch_metric_alarm" "safety_violations" {
  alarm_name          = "${var.name}-content-safety-violations"
  alarm_description   = "Content Safety Violations: any violation in a period alerts at once"
  namespace           = var.metric_namespace
  metric_name         = "content_safety_violations"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = var.safety_violations_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  alarm_actions = [aws_sns_topic.alarms.arn]
  tags          = local.tags
}

# ---------------------------------------------------------------------------------------------
# Per target group alarms watched by the progressive deploy (health of the new colour).
# ---------------------------------------------------------------------------------------------
resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  for_each = var.target_group_arn_suffixes

  alarm_name          = "${var.name}-api-${each.key}-5xx"
  alarm_description   = "More than 5 % of the requests to the ${each.key} target group answered 5xx"
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  threshold           = 5
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "errors"
    return_data = false

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      stat        = "Sum"
      period      = 60
      dimensions = {
        LoadBalancer = var.alb_arn_suffix
        TargetGroup  = each.value
      }
    }
  }

  metric_query {
    id          = "requests"
    return_data = false

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      stat        = "Sum"
      period      = 60
      dimensions = {
        LoadBalancer = var.alb_arn_suffix
        TargetGroup  = each.value
      }
    }
  }

  metric_query {
    id          = "error_rate"
    expression  = "IF(requests > 10, 100 * errors / requests, 0)"
    label       = "5xx rate (%)"
    return_data = true
  }

  alarm_actions = [aws_sns_topic.alarms.arn]
  tags          = local.tags
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  for_each = var.target_group_arn_suffixes

  alarm_name          = "${var.name}-api-${each.key}-unhealthy-hosts"
  alarm_description   = "A target of the ${each.key} target group failed its /health check"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    LoadBalancer = var.alb_arn_suffix
    TargetGroup  = each.value
  }

  alarm_actions = [aws_sns_topic.alarms.arn]
  tags          = local.tags
}

# ---------------------------------------------------------------------------------------------
# X-Ray: trace 10 % of the requests (plus one per second so quiet periods still show traces).
# ---------------------------------------------------------------------------------------------
resource "aws_xray_sampling_rule" "api" {
  rule_name      = "${var.name}-api"
  priority       = 100
  version        = 1
  reservoir_size = 1
  fixed_rate     = var.xray_sampling_rate
  service_name   = "storymagic-api"
  service_type   = "*"
  host           = "*"
  http_method    = "*"
  url_path       = "*"
  resource_arn   = "*"
  tags           = local.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = "${var.name}-overview"
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title  = "Story generation time (p50/p95)"
          region = data.aws_region.current.region
          metrics = [
            [var.metric_namespace, "story_generation_time", { stat = "p50" }],
            ["...", { stat = "p95" }],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title   = "API service CPU / memory"
          region  = data.aws_region.current.region
          metrics = [["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", var.service_name], [".", "MemoryUtilization", ".", ".", ".", "."]]
        }
      },
      {
        type = "alarm", x = 0, y = 6, width = 24, height = 4
        properties = {
          title  = "Alarms"
          alarms = [aws_cloudwatch_metric_alarm.high_cpu.arn, aws_cloudwatch_metric_alarm.db_connections.arn, aws_cloudwatch_metric_alarm.db_pool_pending.arn, aws_cloudwatch_metric_alarm.generation_timeout_rate.arn, aws_cloudwatch_metric_alarm.safety_violations.arn]
        }
      },
    ]
  })
}
