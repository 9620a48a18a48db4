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
    var.enable_xray ? local.tracing_environment : {},
  )

  # The API exports its spans over OTLP/HTTP to the collector in the same task (localhost in awsvpc
  # mode) and samples new traces at this ratio; requests from the ALB keep their X-Amzn-Trace-Id.
  tracing_environment = {
    OTEL_EXPORTER_OTLP_ENDPOINT = "http://127.0.0.1:4318"
    TRACES_SAMPLER_RATIO        = tostring(var.traces_sampler_ratio)
    OTEL_SERVICE_NAME           = "storymagic-api"
  }

  # AWS Distro for OpenTelemetry collector: OTLP in, X-Ray out. Listens on localhost only; the
  # memory limiter and the batch (X-Ray takes at most 50 segments per call) bound what it holds.
  collector_config = {
    extensions = {
      health_check = { endpoint = "127.0.0.1:13133" }
    }
    receivers = {
      otlp = { protocols = { http = { endpoint = "127.0.0.1:4318" } } }
    }
    processors = {
      memory_limiter = { check_interval = "1s", limit_mib = 96, spike_limit_mib = 24 }
      batch          = { timeout = "1s", send_batch_size = 50, send_batch_max_size = 50 }
    }
    exporters = {
      awsxray = {
        region = var.aws_region
        # Annotations X-Ray can filter traces by; none holds user text.
        indexed_attributes = ["http.route", "storymagic.theme", "storymagic.age_group", "storymagic.cache.served_from", "gen_ai.request.model"]
      }
    }
    service = {
      extensions = ["health_check"]
      pipelines = {
        traces = { receivers = ["otlp"], processors = ["memory_limiter", "batch"], exporters = ["awsxray"] }
      }
    }
  }

  collector_container = {
    name                   = "aws-otel-collector"
    image                  = var.collector_image
    essential              = false # a collector in trouble costs traces, never the API
    readonlyRootFilesystem = true
    cpu                    = 64
    memoryReservation      = 128
    memory                 = 160
    environment            = [{ name = "AOT_CONFIG_CONTENT", value = yamlencode(local.collector_config) }]
    healthCheck = {
      command     = ["/healthcheck"]
      interval    = 30
      timeout     = 5
      startPeriod = 10
      retries     = 3
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = var.collector_log_group_name
        awslogs-region        = var.aws_region
        awslogs-stream-prefix = "adot"
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

  container_definitions = jsonencode(concat([local.api_container], var.enable_xray ? [local.collector_container] : []))

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
