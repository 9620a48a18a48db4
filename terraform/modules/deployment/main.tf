# Everything the progressive deploy script (deploy/ecs-progressive-deploy.mjs) needs to know,
# published by Terraform so the pipeline holds no copy of the infrastructure's identifiers.
resource "aws_ssm_parameter" "config" {
  name        = "${var.parameter_path}/config"
  description = "StoryMagic ${var.environment} progressive deploy configuration"
  type        = "String"
  tier        = "Standard"

  value = jsonencode({
    environment         = var.environment
    cluster             = var.cluster_name
    service             = var.service_name
    family              = var.task_definition_family
    container_name      = var.container_name
    container_port      = var.container_port
    platform_version    = var.platform_version
    subnets             = var.subnet_ids
    security_groups     = var.security_group_ids
    listener_arn        = var.listener_arn
    target_groups       = var.target_group_arns
    alarms_by_color     = var.alarm_names_by_color
    service_alarms      = var.service_alarm_names
    steps               = var.traffic_steps
    keep_previous_hours = var.previous_revision_retention_hours
    history_parameter   = "${var.parameter_path}/history"
  })

  tags = merge(var.tags, { Component = "deployment" })
}

# Deploy history (current and previous task definition), written by the deploy script.
resource "aws_ssm_parameter" "history" {
  name        = "${var.parameter_path}/history"
  description = "StoryMagic ${var.environment} deploy history, written by the deploy script"
  type        = "String"
  value       = jsonencode({ current = null, previous = null })

  tags = merge(var.tags, { Component = "deployment" })

  lifecycle {
    ignore_changes = [value]
  }
}
