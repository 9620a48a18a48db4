locals {
  tags = merge(var.tags, { Component = "api" })
  # Blue-green: two target groups; the HTTPS listener forwards to both with weights that the
  # progressive deploy script shifts 10 % -> 50 % -> 100 %.
  colors = toset(["blue", "green"])
}

resource "aws_lb" "this" {
  name                       = "${var.name}-alb"
  internal                   = false
  load_balancer_type         = "application"
  ip_address_type            = "ipv4"
  security_groups            = [var.security_group_id]
  subnets                    = var.public_subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  idle_timeout               = var.idle_timeout
  enable_http2               = true
  desync_mitigation_mode     = "defensive"

  dynamic "access_logs" {
    for_each = var.access_logs_bucket == null ? [] : [var.access_logs_bucket]
    content {
      bucket  = access_logs.value
      prefix  = "alb"
      enabled = true
    }
  }

  tags = merge(local.tags, { Name = "${var.name}-alb" })
}

resource "aws_lb_target_group" "api" {
  for_each = local.colors

  name                 = "${var.name}-api-tg-${each.key}"
  port                 = var.container_port
  protocol             = "HTTP"
  vpc_id               = var.vpc_id
  target_type          = "ip"
  deregistration_delay = var.deregistration_delay
  # A task that has just started still runs much of the request path interpreted or in C1's code:
  # on two vCPUs its one C2 thread needs some 10,000-15,000 requests to catch up. A task joining a
  # live target group (scaling out, replacing a failed task) is ramped up to its share instead of
  # meeting it at once. (It does not apply to the first targets of an empty group: a deployment's
  # new colour is ramped by the listener's weights instead.)
  slow_start = var.slow_start

  health_check {
    enabled             = true
    protocol            = "HTTP"
    path                = var.health_check_path
    port                = "traffic-port"
    interval            = var.health_check_interval
    timeout             = var.health_check_timeout
    healthy_threshold   = var.healthy_threshold
    unhealthy_threshold = var.unhealthy_threshold
    matcher             = "200"
  }

  tags = merge(local.tags, { Name = "${var.name}-api-tg-${each.key}", DeploymentColor = each.key })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }

  tags = local.tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type = "forward"

    forward {
      target_group {
        arn    = aws_lb_target_group.api["blue"].arn
        weight = 100
      }

      target_group {
        arn    = aws_lb_target_group.api["green"].arn
        weight = 0
      }

      stickiness {
        enabled  = false
        duration = 1
      }
    }
  }

  tags = local.tags

  # The weights belong to the progressive deploy (deploy/ecs-progressive-deploy.mjs) after the
  # first apply; Terraform must not reset a deployment in flight.
  lifecycle {
    ignore_changes = [default_action]
  }
}

# /metrics (Prometheus text, unauthenticated) is for scrapers inside the VPC that reach a task
# directly on its port; from the internet, through CloudFront or the ALB, it answers 404.
resource "aws_lb_listener_rule" "metrics_private" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 1

  condition {
    path_pattern {
      values = ["/metrics", "/metrics/*"]
    }
  }

  action {
    type = "fixed-response"

    fixed_response {
      content_type = "application/json"
      status_code  = "404"
      message_body = "{\"error\":{\"code\":\"not_found\",\"message\":\"not found\",\"details\":{}}}"
    }
  }

  tags = local.tags
}
