locals {
  tags = merge(var.tags, { Component = "api" })

  api_container = {
    name                   = var.container_name
    image                  = var.container_image
    essential              = true
    readonlyRootFilesystem = true
    portMappings = [{
      containerPort = var.container_port
      hostPort      = var.container_port
      protocol      = "tcp"
    }]
    environment = [for k in sort(keys(local.environment)) : { name = k, value = local.environment[k] }]
    secrets     = [for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }]
    mountPoints = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    stopTimeout = 60
    # The image (built by Jib) carries no Docker HEALTHCHECK and ECS runs only this one: a small Java
    # probe in the server's jar calls /health/live, so the image needs no curl.
    healthCheck = {
      command     = ["CMD", "java", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-cp", "/app/classpath/*", "dev.storymagic.server.internal.LivenessProbe"]
      interval    = 30
      timeout     = 5
      startPeriod = 40
      retries     = 3
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = var.log_group_name
        awslogs-region        = var.aws_region
        awslogs-stream-prefix = "api"
      }
    }
  }

  environment = merge(
    var.environment_variables,
    { PORT = tostring(var.container_port) },
    var.enable_xray ? { AWS_XRAY_DAEMON_ADDRESS = "127.0.0.1:2000" } : {},
  )

  xray_container = {
    name              = "xray-daemon"
    image             = var.xray_daemon_image
    essential         = false
    cpu               = 32
    memoryReservation = 64
    portMappings      = [{ containerPort = 2000, hostPort = 2000, protocol = "udp" }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = var.log_group_name
        awslogs-region        = var.aws_region
        awslogs-stream-prefix = "xray"
      }
    }
  }
}

resource "aws_ecs_cluster" "this" {
  name = var.cluster_name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = local.tags
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

# The Terraform-managed base revision of the task definition. Every deploy registers a new
# revision from the latest one with the commit-SHA image; old revisions are kept (skip_destroy)
# so a rollback to the previous one is always possible.
resource "aws_ecs_task_definition" "api" {
  family                   = var.service_name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  task_role_arn            = var.task_role_arn
  execution_role_arn       = var.execution_role_arn
  skip_destroy             = true

  container_definitions = jsonencode(concat([local.api_container], var.enable_xray ? [local.xray_container] : []))

  volume {
    name = "tmp"
  }

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  tags = local.tags
}

# One service, blue-green through task sets: the EXTERNAL deployment controller lets the deploy
# script run the old and the new revision side by side, each behind its own target group, and
# shift the ALB weights progressively. Network configuration, launch type and platform version
# are given per task set by the script (read from the deploy configuration parameter).
resource "aws_ecs_service" "api" {
  name                               = var.service_name
  cluster                            = aws_ecs_cluster.this.id
  desired_count                      = var.desired_count
  scheduling_strategy                = "REPLICA"
  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  deployment_maximum_percent         = var.deployment_maximum_percent
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"

  deployment_controller {
    type = "EXTERNAL"
  }

  tags = local.tags

  lifecycle {
    # Autoscaling owns the desired count after creation.
    ignore_changes = [desired_count]
  }
}

resource "aws_appautoscaling_target" "api" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.api.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity
  tags               = local.tags
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.service_name}-cpu-target"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  resource_id        = aws_appautoscaling_target.api.resource_id
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target
    scale_in_cooldown  = var.scale_in_cooldown
    scale_out_cooldown = var.scale_out_cooldown

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "memory" {
  name               = "${var.service_name}-memory-target"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  resource_id        = aws_appautoscaling_target.api.resource_id
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.memory_target
    scale_in_cooldown  = var.scale_in_cooldown
    scale_out_cooldown = var.scale_out_cooldown

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageMemoryUtilization"
    }
  }
}

# Step policy used as the action of the "High CPU Utilization" alarm (SNS + Auto Scaling).
resource "aws_appautoscaling_policy" "cpu_high_step" {
  name               = "${var.service_name}-cpu-high-step"
  policy_type        = "StepScaling"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  resource_id        = aws_appautoscaling_target.api.resource_id
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension

  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = var.scale_out_cooldown
    metric_aggregation_type = "Average"

    step_adjustment {
      metric_interval_lower_bound = 0
      scaling_adjustment          = 1
    }
  }
}
