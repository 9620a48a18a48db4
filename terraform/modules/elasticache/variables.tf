variable "name" {
  description = "Replication group ID, e.g. storymagic-redis."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name))
    error_message = "The replication group ID must start with a letter and have at most 40 lower-case letters, digits or hyphens."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the private-cache-subnets group."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "At least one subnet is required."
  }
}

variable "security_group_id" {
  description = "redis-security-group (6379 from the API tasks only)."
  type        = string
}

variable "engine_version" {
  description = "Redis engine version."
  type        = string
  default     = "7.0"

  validation {
    condition     = can(regex("^7\\.", var.engine_version))
    error_message = "StoryMagic runs Redis 7."
  }
}

variable "node_type" {
  description = "Cache node type."
  type        = string
  default     = "cache.t3.micro"

  validation {
    condition     = can(regex("^cache\\.", var.node_type))
    error_message = "The node type must be an ElastiCache node type such as cache.t3.micro."
  }
}

variable "num_cache_clusters" {
  description = "Number of nodes: 1 (single AZ) in development, 2 (primary + replica in another AZ) for automatic failover."
  type        = number
  default     = 1

  validation {
    condition     = var.num_cache_clusters >= 1 && var.num_cache_clusters <= 6
    error_message = "Between 1 and 6 nodes."
  }
}

variable "port" {
  description = "Redis port."
  type        = number
  default     = 6379
}

variable "maxmemory_policy" {
  description = "Eviction policy when memory is full."
  type        = string
  default     = "allkeys-lru"

  validation {
    condition     = contains(["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"], var.maxmemory_policy)
    error_message = "Unknown Redis maxmemory policy."
  }
}

variable "timeout" {
  description = "Seconds before an idle client connection is closed (0 = never)."
  type        = number
  default     = 0
}

variable "tcp_keepalive" {
  description = "TCP keepalive interval in seconds."
  type        = number
  default     = 300
}

variable "snapshot_retention_limit" {
  description = "Days of daily snapshots to keep (0 disables them; the cache can be rebuilt)."
  type        = number
  default     = 1
}

variable "snapshot_window" {
  description = "Daily snapshot window, UTC."
  type        = string
  default     = "02:00-03:00"
}

variable "maintenance_window" {
  description = "Weekly maintenance window, UTC."
  type        = string
  default     = "sun:05:00-sun:06:00"
}

variable "notification_topic_arn" {
  description = "SNS topic for ElastiCache events; null for none."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
