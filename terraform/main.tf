locals {
  short_env = { development = "dev", staging = "stg", production = "prod" }[var.environment]

  # Production keeps the original names (storymagic-alb, storymagic-db, /ecs/storymagic-api,
  # storymagic/openai-api-key); the other environments carry a suffix.
  prefix          = var.environment == "production" ? "storymagic" : "storymagic-${local.short_env}"
  cluster_name    = "storymagic-${var.environment}"
  service_name    = "storymagic-api"
  db_identifier   = "${local.prefix}-db"
  site_hostname   = var.site_subdomain == "" ? var.domain_name : "${var.site_subdomain}.${var.domain_name}"
  origin_hostname = "origin-${local.short_env}.${var.domain_name}"
  deploy_path     = "/storymagic/${var.environment}/deploy"
  container_port  = 3000

  tags = {
    Project     = "storymagic"
    Environment = var.environment
  }
}

data "aws_caller_identity" "current" {}

# A workspace only ever applies its own environment's variables.
resource "terraform_data" "workspace_guard" {
  input = var.environment

  lifecycle {
    precondition {
      condition     = terraform.workspace == var.environment
      error_message = "Select the workspace of the environment first: terraform workspace select ${var.environment} (current: ${terraform.workspace})."
    }
  }
}

module "vpc" {
  source = "./modules/vpc"

  name                = local.prefix
  cidr_block          = var.vpc_cidr
  availability_zones  = var.availability_zones
  public_subnet_cidrs = var.public_subnet_cidrs
  app_subnet_cidrs    = var.app_subnet_cidrs
  data_subnet_cidrs   = var.data_subnet_cidrs
  single_nat_gateway  = true
  container_port      = local.container_port
  tags                = local.tags
}

module "dns" {
  source = "./modules/dns"

  domain_name            = var.domain_name
  create_zone            = var.create_dns_zone
  site_hostname          = local.site_hostname
  origin_hostname        = local.origin_hostname
  cloudfront_domain_name = module.cloudfront.domain_name
  cloudfront_zone_id     = module.cloudfront.hosted_zone_id
  alb_dns_name           = module.alb.alb_dns_name
  alb_zone_id            = module.alb.alb_zone_id
  tags                   = local.tags
}

# Regional certificate of the ALB. It also covers the viewer host name because CloudFront
# forwards the viewer's Host header on /api/*.
module "acm_alb" {
  source = "./modules/acm"

  domain_name               = local.origin_hostname
  subject_alternative_names = [local.site_hostname]
  zone_id                   = module.dns.zone_id
  tags                      = local.tags
}

# CloudFront's certificate must live in us-east-1.
module "acm_cloudfront" {
  source = "./modules/acm"
  providers = {
    aws = aws.us_east_1
  }

  domain_name = local.site_hostname
  zone_id     = module.dns.zone_id
  tags        = local.tags
}

module "ecr" {
  source = "./modules/ecr"

  repository_name      = "${local.prefix}-api"
  image_retention_days = 30
  tags                 = local.tags
}

module "storage" {
  source = "./modules/storage"

  bucket_name                 = "${local.prefix}-storage-${data.aws_caller_identity.current.account_id}"
  force_destroy               = var.storage_force_destroy
  cloudfront_distribution_arn = module.cloudfront.distribution_arn
  tags                        = local.tags
}

module "secrets" {
  source = "./modules/secrets"

  name_prefix                = local.prefix
  db_username                = "storymagic"
  db_host                    = module.rds.address
  db_port                    = module.rds.port
  db_name                    = module.rds.database_name
  rotation_days              = 30
  enable_rotation            = var.enable_secret_rotation
  rotation_subnet_ids        = module.vpc.data_subnet_ids
  rotation_security_group_id = module.vpc.rotation_security_group_id
  recovery_window_in_days    = var.secrets_recovery_window_days
  tags                       = local.tags
}

module "rds" {
  source = "./modules/rds"

  identifier              = local.db_identifier
  subnet_ids              = module.vpc.data_subnet_ids
  security_group_id       = module.vpc.rds_security_group_id
  engine_version          = "15"
  instance_class          = var.rds_instance_class
  allocated_storage       = 100
  max_allocated_storage   = 1000
  storage_type            = "gp2"
  multi_az                = var.rds_multi_az
  backup_retention_period = var.rds_backup_retention_days
  backup_window           = "03:00-04:00"
  maintenance_window      = "sun:04:00-sun:05:00"
  deletion_protection     = var.rds_deletion_protection
  skip_final_snapshot     = var.rds_skip_final_snapshot
  database_name           = "storymagic"
  master_username         = "storymagic"
  master_password         = module.secrets.initial_database_password
  max_connections         = 200
  work_mem_kb             = 16384
  log_group_name          = module.monitoring.rds_log_group_name
  # Performance Insights is not offered on the micro and small classes.
  performance_insights_enabled = !can(regex("\\.(micro|small)$", var.rds_instance_class))
  tags                         = local.tags
}

module "elasticache" {
  source = "./modules/elasticache"

  name                   = "${local.prefix}-redis"
  subnet_ids             = module.vpc.app_subnet_ids
  security_group_id      = module.vpc.redis_security_group_id
  engine_version         = "7.0"
  node_type              = var.redis_node_type
  num_cache_clusters     = var.redis_num_cache_clusters
  maxmemory_policy       = "allkeys-lru"
  timeout                = 0
  tcp_keepalive          = 300
  notification_topic_arn = module.monitoring.sns_topic_arn
  tags                   = local.tags
}

module "alb" {
  source = "./modules/alb"

  name                  = local.prefix
  vpc_id                = module.vpc.vpc_id
  public_subnet_ids     = module.vpc.public_subnet_ids
  security_group_id     = module.vpc.alb_security_group_id
  certificate_arn       = module.acm_alb.certificate_arn
  container_port        = local.container_port
  health_check_path     = "/health"
  health_check_interval = 30
  health_check_timeout  = 5
  healthy_threshold     = 2
  unhealthy_threshold   = 3
  deletion_protection   = var.rds_deletion_protection
  tags                  = local.tags
}

module "cloudfront" {
  source = "./modules/cloudfront"

  name                               = local.prefix
  aliases                            = [local.site_hostname]
  certificate_arn                    = module.acm_cloudfront.certificate_arn
  origin_domain_name                 = module.dns.origin_fqdn
  assets_bucket_regional_domain_name = module.storage.bucket_regional_domain_name
  minimum_protocol_version           = "TLSv1.2_2021"
  http_version                       = "http2"
  tags                               = local.tags
}

module "iam" {
  source = "./modules/iam"

  name                        = local.prefix
  environment                 = var.environment
  secret_arns                 = module.secrets.secret_arns
  secrets_kms_key_arn         = module.secrets.kms_key_arn
  storage_bucket_arn          = module.storage.bucket_arn
  storage_kms_key_arn         = module.storage.kms_key_arn
  log_group_arn               = module.monitoring.ecs_log_group_arn
  collector_log_group_arn     = module.monitoring.collector_log_group_arn
  ecr_repository_arn          = module.ecr.repository_arn
  ecr_kms_key_arn             = module.ecr.kms_key_arn
  ecs_cluster_arn             = module.ecs.cluster_arn
  ecs_service_arn             = module.ecs.service_arn
  task_definition_family      = module.ecs.task_definition_family
  https_listener_arn          = module.alb.https_listener_arn
  deploy_parameter_path       = local.deploy_path
  github_repository           = var.github_repository
  create_github_oidc_provider = var.create_github_oidc_provider
  tags                        = local.tags
}

module "ecs" {
  source = "./modules/ecs"

  cluster_name                       = local.cluster_name
  service_name                       = local.service_name
  container_image                    = "${module.ecr.repository_url}:${var.container_image_tag}"
  container_port                     = local.container_port
  cpu                                = var.ecs_cpu
  memory                             = var.ecs_memory
  desired_count                      = var.ecs_desired_count
  deployment_minimum_healthy_percent = 50
  deployment_maximum_percent         = 200
  min_capacity                       = var.ecs_min_capacity
  max_capacity                       = var.ecs_max_capacity
  cpu_target                         = 70
  memory_target                      = 80
  scale_in_cooldown                  = 300
  scale_out_cooldown                 = 300
  task_role_arn                      = module.iam.task_role_arn
  execution_role_arn                 = module.iam.execution_role_arn
  log_group_name                     = module.monitoring.ecs_log_group_name
  aws_region                         = var.aws_region
  enable_xray                        = true
  collector_log_group_name           = module.monitoring.collector_log_group_name
  traces_sampler_ratio               = 0.1

  environment_variables = {
    APP_ENV        = var.environment
    DATABASE_HOST  = module.rds.address
    DATABASE_PORT  = tostring(module.rds.port)
    DATABASE_NAME  = module.rds.database_name
    REDIS_HOST     = module.elasticache.primary_endpoint_address
    REDIS_PORT     = tostring(module.elasticache.port)
    REDIS_TLS      = "true"
    STORAGE_BUCKET = module.storage.bucket_name
    AWS_REGION     = var.aws_region
    # A new task serves this many story requests to a private copy of itself before it listens,
    # so a scale-out under a burst does not meet interpreted code; the copy calls no provider.
    WARM_UP_REQUESTS = tostring(var.warm_up_requests)
    # The name of the database secret, not its value: the server reads the credentials at run
    # time (task role) and again when PostgreSQL refuses them, so the 30-day rotation reaches
    # running tasks. Injecting the password at task start would go stale at the first rotation.
    DATABASE_SECRET_ID = module.secrets.database_credentials_secret_arn
  }

  secrets = {
    OPENAI_API_KEY  = module.secrets.openai_api_key_secret_arn
    FIREBASE_CONFIG = module.secrets.firebase_config_secret_arn
  }

  tags = local.tags
}

module "monitoring" {
  source = "./modules/monitoring"

  name                              = local.prefix
  ecs_log_group_name                = "/ecs/${local.prefix}-api"
  ecs_log_retention_days            = 30
  db_identifier                     = local.db_identifier
  db_log_retention_days             = 7
  cluster_name                      = local.cluster_name
  service_name                      = local.service_name
  alb_arn_suffix                    = module.alb.alb_arn_suffix
  target_group_arn_suffixes         = module.alb.target_group_arn_suffixes
  cpu_alarm_threshold               = 80
  cpu_alarm_minutes                 = 5
  cpu_alarm_scaling_policy_arn      = module.ecs.cpu_high_scaling_policy_arn
  db_connections_threshold          = 180
  db_pool_pending_threshold         = 5
  db_pool_pending_minutes           = 3
  generation_timeout_rate_threshold = 5
  generation_timeout_period_seconds = 600
  safety_violations_threshold       = 0
  metric_namespace                  = "StoryMagic"
  xray_sampling_rate                = 0.1
  alarm_emails                      = var.alarm_emails
  tags                              = local.tags
}

module "budgets" {
  source = "./modules/budgets"
  count  = var.create_budget ? 1 : 0

  name                          = "storymagic-monthly"
  monthly_limit_usd             = var.monthly_budget_usd
  alert_thresholds_percent      = [80, 90, 100]
  sns_topic_arn                 = module.monitoring.sns_topic_arn
  alert_emails                  = var.alarm_emails
  activate_cost_allocation_tags = var.activate_cost_allocation_tags
  tags                          = local.tags
}

module "deployment" {
  source = "./modules/deployment"

  parameter_path                    = local.deploy_path
  environment                       = var.environment
  cluster_name                      = module.ecs.cluster_name
  service_name                      = module.ecs.service_name
  task_definition_family            = module.ecs.task_definition_family
  container_name                    = module.ecs.container_name
  container_port                    = local.container_port
  platform_version                  = "1.4.0"
  subnet_ids                        = module.vpc.app_subnet_ids
  security_group_ids                = [module.vpc.ecs_security_group_id]
  listener_arn                      = module.alb.https_listener_arn
  target_group_arns                 = module.alb.target_group_arns
  alarm_names_by_color              = module.monitoring.deploy_alarm_names
  service_alarm_names               = module.monitoring.service_alarm_names
  previous_revision_retention_hours = 24
  tags                              = local.tags
}
