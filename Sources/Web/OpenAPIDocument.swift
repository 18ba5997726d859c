/// The OpenAPI 3.0.3 description of the whole HTTP API, served by `GET /api/openapi.json`.
/// Kept as a literal so it is compiled into the binary; tests check it parses, names every
/// route the router serves and matches the live answers (scripts/fuzz-api).
enum OpenAPIDocument {
    /// The document as JSON text.
    static let json = [
        head,
        scheduleAction(
            "run", operationId: "runSchedule", summary: "Runs the schedule's task now (enqueues it on `default`).",
            success: ("202", "The job.", "Job"), extraResponses: scheduleTaskNotRegistered),
        scheduleAction("pause", operationId: "pauseSchedule", summary: "Pauses the schedule: cron runs are skipped until resumed."),
        scheduleAction("resume", operationId: "resumeSchedule", summary: "Resumes a paused schedule."),
        tail,
    ].joined(separator: "\n")

    /// The document up to the schedules' actions (run, pause, resume).
    private static let head = ##"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "Weather service API",
    "version": "1.0.0",
    "description": "Weather searches, statistics and alerts, and the Postgres job queue and its schedules, over HTTP. Errors are always `{\"error\": {\"code\", \"message\"}}`. Every list is paginated: `limit` (1 to 100, default 20) and a cursor from the previous page, `before` (its `next_before`) for the newest-first lists (searches, alerts, jobs) and `after` (its `next_after`) for the lists in name order (statistics, schedules). A query parameter left out takes its default; one given with an empty value is refused with 400 naming it (only `echo` of /api/ping sends back whatever it is given)."
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "tags": [
    {
      "name": "health"
    },
    {
      "name": "weather"
    },
    {
      "name": "tasks"
    },
    {
      "name": "schedules"
    },
    {
      "name": "meta"
    }
  ],
  "paths": {
    "/api/ping": {
      "get": {
        "tags": [
          "health"
        ],
        "operationId": "ping",
        "summary": "Liveness: answers without touching the database.",
        "security": [],
        "parameters": [
          {
            "name": "echo",
            "in": "query",
            "required": false,
            "description": "Sent back decoded (checks that queries survive the proxy).",
            "schema": {
              "type": "string",
              "maxLength": 256
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Alive.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "ok"
                  ],
                  "properties": {
                    "ok": {
                      "type": "boolean",
                      "enum": [
                        true
                      ]
                    },
                    "echo": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/api/health": {
      "get": {
        "tags": [
          "health"
        ],
        "operationId": "health",
        "summary": "Readiness: the database answers; queue depth and live workers.",
        "security": [],
        "responses": {
          "200": {
            "description": "The database answers.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "503": {
            "description": "The database does not answer, or its schema is not migrated.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "ok",
                    "database",
                    "error"
                  ],
                  "properties": {
                    "ok": {
                      "type": "boolean",
                      "enum": [
                        false
                      ]
                    },
                    "database": {
                      "type": "string"
                    },
                    "error": {
                      "$ref": "#/components/schemas/ErrorBody"
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/api/weather": {
      "get": {
        "tags": [
          "weather"
        ],
        "operationId": "getWeather",
        "summary": "Fetches a city's current weather from the provider, stores it as a search and returns it.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "name": "city",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 100,
              "pattern": "^[^,\\u0000-\\u001f\\u007f-\\u009f]*[^,\\s\\u0000-\\u001f\\u007f-\\u009f][^,\\u0000-\\u001f\\u007f-\\u009f]*$"
            },
            "description": "City name (no comma, no control characters, not only spaces).",
            "example": "London"
          },
          {
            "name": "country",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z]{2}$"
            },
            "description": "Two-letter country code (left out: any country).",
            "example": "GB"
          }
        ],
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "200": {
            "description": "The stored search.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/WeatherSearchResult"
                }
              }
            }
          },
          "404": {
            "description": "The provider does not know the city.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "502": {
            "description": "The provider failed (error, bad answer, rate limit, refused API key).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "504": {
            "description": "The provider did not answer in time.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/searches": {
      "get": {
        "tags": [
          "weather"
        ],
        "operationId": "listSearches",
        "summary": "Stored searches, newest first.",
        "security": [],
        "parameters": [
          {
            "name": "city",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 100
            },
            "description": "Only this city."
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/before"
          }
        ],
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "200": {
            "description": "A page of searches.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items",
                    "next_before"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/WeatherSearch"
                      }
                    },
                    "next_before": {
                      "type": "integer",
                      "nullable": true,
                      "minimum": 1,
                      "description": "Pass as `before` for the next page; null on the last page."
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/api/statistics": {
      "get": {
        "tags": [
          "weather"
        ],
        "operationId": "getStatistics",
        "summary": "Daily statistics per city for one UTC day (today by default).",
        "security": [],
        "parameters": [
          {
            "name": "date",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "format": "date",
              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
            },
            "description": "YYYY-MM-DD (left out: today in UTC)."
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "name": "after",
            "in": "query",
            "required": false,
            "description": "The previous page's `next_after` (`CITY,COUNTRY` of its last row).",
            "schema": {
              "type": "string",
              "minLength": 2,
              "maxLength": 200,
              "pattern": "^[^,][\\s\\S]*,[^,]*$"
            }
          }
        ],
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "200": {
            "description": "The day's statistics.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "date",
                    "items",
                    "next_after"
                  ],
                  "properties": {
                    "date": {
                      "type": "string",
                      "format": "date"
                    },
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/DailyStatistics"
                      }
                    },
                    "next_after": {
                      "type": "string",
                      "nullable": true,
                      "description": "Pass as `after` for the next page; null on the last page."
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/api/alerts": {
      "get": {
        "tags": [
          "weather"
        ],
        "operationId": "listAlerts",
        "summary": "Recent weather alerts, newest first.",
        "security": [],
        "parameters": [
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/before"
          }
        ],
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "200": {
            "description": "A page of alerts.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items",
                    "next_before"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/WeatherAlert"
                      }
                    },
                    "next_before": {
                      "type": "integer",
                      "nullable": true,
                      "minimum": 1,
                      "description": "Pass as `before` for the next page; null on the last page."
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/api/tasks": {
      "post": {
        "tags": [
          "tasks"
        ],
        "operationId": "enqueueTask",
        "summary": "Puts a job on the queue.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/EnqueueRequest"
              },
              "example": {
                "task": "test_task",
                "args": {
                  "message": "hello"
                },
                "priority": 5
              }
            }
          }
        },
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "202": {
            "description": "The new job.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            },
            "headers": {
              "Location": {
                "schema": {
                  "type": "string"
                }
              },
              "X-Job-Created": {
                "schema": {
                  "type": "string",
                  "enum": [
                    "true"
                  ]
                }
              }
            }
          },
          "200": {
            "description": "A job already holds the unique key: that job.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            },
            "headers": {
              "Location": {
                "schema": {
                  "type": "string"
                }
              },
              "X-Job-Created": {
                "schema": {
                  "type": "string",
                  "enum": [
                    "false"
                  ]
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "description": "The body is not application/json.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "422": {
            "description": "No task is registered under that name.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      },
      "get": {
        "tags": [
          "tasks"
        ],
        "operationId": "listTasks",
        "summary": "Jobs, newest first.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "name": "state",
            "in": "query",
            "required": false,
            "description": "Only jobs in this state (left out: any).",
            "schema": {
              "type": "string",
              "enum": [
                "queued",
                "running",
                "retrying",
                "succeeded",
                "failed",
                "cancelled"
              ]
            }
          },
          {
            "name": "task",
            "in": "query",
            "required": false,
            "description": "Only jobs of this task (left out: any).",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 200
            }
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/before"
          }
        ],
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "200": {
            "description": "A page of jobs.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items",
                    "next_before"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Job"
                      }
                    },
                    "next_before": {
                      "type": "integer",
                      "nullable": true,
                      "minimum": 1,
                      "description": "Pass as `before` for the next page; null on the last page."
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/api/tasks/{id}": {
      "get": {
        "tags": [
          "tasks"
        ],
        "operationId": "getTask",
        "summary": "One job; with `wait`, answers as soon as it has finished or the time is up.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/jobId"
          },
          {
            "name": "wait",
            "in": "query",
            "required": false,
            "description": "Seconds to wait for the job to finish (beyond the server's bound on concurrent waits, a shorter wait: `wait.limited` and `X-Wait-Limited`).",
            "schema": {
              "type": "number",
              "exclusiveMinimum": true,
              "minimum": 0,
              "maximum": 60
            }
          }
        ],
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "200": {
            "description": "The job.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            },
            "headers": {
              "X-Wait-Limited": {
                "schema": {
                  "type": "string",
                  "enum": [
                    "true"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/JobNotFound"
          }
        }
      }
    },
    "/api/tasks/{id}/cancel": {
      "post": {
        "tags": [
          "tasks"
        ],
        "operationId": "cancelTask",
        "summary": "Cancels a job that has not finished.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/jobId"
          }
        ],
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "200": {
            "description": "It was waiting: now cancelled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "202": {
            "description": "It is running: its worker was told to stop it.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/JobNotFound"
          },
          "409": {
            "description": "The job has already finished.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/api/schedules": {
      "get": {
        "tags": [
          "schedules"
        ],
        "operationId": "listSchedules",
        "summary": "The schedules by name: cron, next run, last run and its state, runs so far, paused.",
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "name": "after",
            "in": "query",
            "required": false,
            "description": "The previous page's `next_after` (the name of its last schedule).",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 200
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of schedules.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items",
                    "next_after"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Schedule"
                      }
                    },
                    "next_after": {
                      "type": "string",
                      "nullable": true,
                      "description": "Pass as `after` for the next page; null on the last page."
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
"""##

    /// `POST /api/schedules/{name}/<verb>` (run, pause, resume): the operations differ only in
    /// their verb, operation id, summary, success answer (status, description, schema; pause and
    /// resume answer the schedule) and any error answers of their own, put before the 503.
    private static func scheduleAction(
        _ verb: String, operationId: String, summary: String, success: (status: String, description: String, schema: String) = ("200", "The schedule.", "Schedule"),
        extraResponses: String = ""
    ) -> String {
        ##"""
            "/api/schedules/{name}/\##(verb)": {
              "post": {
                "tags": [
                  "schedules"
                ],
                "operationId": "\##(operationId)",
                "summary": "\##(summary)",
                "security": [
                  {
                    "bearerAuth": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/scheduleName"
                  }
                ],
                "responses": {
                  "\##(success.status)": {
                    "description": "\##(success.description)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/\##(success.schema)"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/ScheduleNotFound"
                  },
                  "405": {
                    "$ref": "#/components/responses/MethodNotAllowed"
                  },\##(extraResponses)
                  "503": {
                    "$ref": "#/components/responses/Unavailable"
                  }
                }
              }
            },
        """##
    }

    /// Run's own error answer (its lines, each after a line break, as `scheduleAction` puts them).
    private static let scheduleTaskNotRegistered = "\n" + ##"""
                  "422": {
                    "description": "The schedule's task is not registered in this build.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
        """##

    /// The document after the schedules' actions.
    private static let tail = ##"""
    "/api/openapi.json": {
      "get": {
        "tags": [
          "meta"
        ],
        "operationId": "getOpenAPI",
        "summary": "This document.",
        "security": [],
        "responses": {
          "200": {
            "description": "The OpenAPI document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "tags": [
          "meta"
        ],
        "operationId": "getMetrics",
        "summary": "Prometheus text format (nginx answers only local addresses).",
        "security": [],
        "responses": {
          "200": {
            "description": "Request, queue, worker and schedule metrics.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "403": {
            "description": "Refused by nginx for a non-local client.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "`TaskRunner token create NAME` prints a token."
      }
    },
    "parameters": {
      "limit": {
        "name": "limit",
        "in": "query",
        "required": false,
        "description": "Items per page.",
        "schema": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100,
          "default": 20
        }
      },
      "before": {
        "name": "before",
        "in": "query",
        "required": false,
        "description": "The previous page's `next_before`.",
        "schema": {
          "type": "integer",
          "format": "int64",
          "minimum": 1,
          "maximum": 9223372036854775807
        }
      },
      "jobId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "A job id.",
        "schema": {
          "type": "integer",
          "format": "int64",
          "minimum": 1,
          "maximum": 9223372036854775807
        }
      },
      "scheduleName": {
        "name": "name",
        "in": "path",
        "required": true,
        "description": "A schedule name (e.g. health-check).",
        "schema": {
          "type": "string",
          "pattern": "^[a-z0-9][a-z0-9-]*$"
        },
        "example": "health-check"
      }
    },
    "responses": {
      "JobNotFound": {
        "description": "No such job.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "ScheduleNotFound": {
        "description": "No such schedule.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "BadRequest": {
        "description": "Bad input; the message names the field.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Unauthorized": {
        "description": "No valid `Authorization: Bearer` token.",
        "headers": {
          "WWW-Authenticate": {
            "schema": {
              "type": "string"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "MethodNotAllowed": {
        "description": "The path does not accept this method.",
        "headers": {
          "Allow": {
            "schema": {
              "type": "string"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "PayloadTooLarge": {
        "description": "The body is over the size limit.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Unavailable": {
        "description": "The database (or the weather provider's configuration) is not available.",
        "headers": {
          "Retry-After": {
            "schema": {
              "type": "string"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "schemas": {
      "ErrorBody": {
        "type": "object",
        "required": [
          "code",
          "message"
        ],
        "properties": {
          "code": {
            "type": "string"
          },
          "message": {
            "type": "string"
          }
        }
      },
      "Error": {
        "type": "object",
        "required": [
          "error"
        ],
        "properties": {
          "error": {
            "$ref": "#/components/schemas/ErrorBody"
          }
        }
      },
      "Health": {
        "type": "object",
        "required": [
          "ok",
          "database",
          "live_workers",
          "queue_depth",
          "queue_depth_capped",
          "schema_version"
        ],
        "properties": {
          "ok": {
            "type": "boolean"
          },
          "database": {
            "type": "string"
          },
          "live_workers": {
            "type": "integer",
            "minimum": 0
          },
          "queue_depth": {
            "type": "integer",
            "minimum": 0
          },
          "queue_depth_capped": {
            "type": "boolean"
          },
          "schema_version": {
            "type": "integer"
          }
        }
      },
      "EnqueueRequest": {
        "type": "object",
        "required": [
          "task"
        ],
        "additionalProperties": false,
        "properties": {
          "task": {
            "type": "string",
            "enum": [
              "test_task",
              "async_weather_processing",
              "cleanup_old_searches",
              "generate_weather_statistics",
              "bulk_weather_update",
              "send_weather_alerts",
              "database_maintenance",
              "export_weather_data",
              "health_check",
              "backup_database"
            ],
            "description": "A registered task name (`TaskRunner tasks`); another name is a 422."
          },
          "args": {
            "type": "object",
            "nullable": true,
            "additionalProperties": true,
            "description": "The task's arguments."
          },
          "queue": {
            "type": "string",
            "nullable": true,
            "minLength": 1,
            "maxLength": 64,
            "default": "default"
          },
          "priority": {
            "type": "integer",
            "nullable": true,
            "minimum": -1000000,
            "maximum": 1000000,
            "default": 0,
            "description": "Higher runs first."
          },
          "delay_seconds": {
            "type": "number",
            "nullable": true,
            "minimum": 0,
            "maximum": 31622400,
            "description": "Run no earlier than this many seconds from now (at most a year)."
          },
          "unique_key": {
            "type": "string",
            "nullable": true,
            "minLength": 1,
            "maxLength": 200,
            "description": "While a job with this key is unfinished, enqueueing it returns that job (200)."
          }
        }
      },
      "Job": {
        "type": "object",
        "required": [
          "id",
          "task",
          "args",
          "queue",
          "priority",
          "state",
          "attempts",
          "max_attempts",
          "progress",
          "result",
          "error",
          "worker",
          "created_at",
          "started_at",
          "finished_at"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "minimum": 1
          },
          "task": {
            "type": "string"
          },
          "args": {
            "type": "object",
            "additionalProperties": true
          },
          "queue": {
            "type": "string"
          },
          "priority": {
            "type": "integer"
          },
          "state": {
            "type": "string",
            "enum": [
              "queued",
              "running",
              "retrying",
              "succeeded",
              "failed",
              "cancelled"
            ]
          },
          "attempts": {
            "type": "integer",
            "minimum": 0
          },
          "max_attempts": {
            "type": "integer",
            "minimum": 1
          },
          "progress": {
            "type": "object",
            "required": [
              "current",
              "total"
            ],
            "properties": {
              "current": {
                "type": "integer",
                "nullable": true
              },
              "total": {
                "type": "integer",
                "nullable": true
              },
              "message": {
                "type": "string"
              }
            }
          },
          "result": {
            "nullable": true,
            "description": "The task's JSON result once succeeded (any JSON value)."
          },
          "error": {
            "type": "string",
            "nullable": true
          },
          "worker": {
            "type": "string",
            "nullable": true
          },
          "unique_key": {
            "type": "string",
            "nullable": true
          },
          "run_at": {
            "type": "string",
            "format": "date-time"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "started_at": {
            "type": "string",
            "format": "date-time",
            "nullable": true
          },
          "finished_at": {
            "type": "string",
            "format": "date-time",
            "nullable": true
          },
          "wait": {
            "type": "object",
            "description": "Only with ?wait=: what was asked and granted.",
            "required": [
              "requested",
              "granted",
              "limited"
            ],
            "properties": {
              "requested": {
                "type": "number"
              },
              "granted": {
                "type": "number"
              },
              "limited": {
                "type": "boolean"
              }
            }
          }
        }
      },
      "WeatherSearch": {
        "type": "object",
        "required": [
          "id",
          "city",
          "country",
          "temperature",
          "humidity",
          "pressure",
          "wind_speed",
          "observed_at",
          "searched_at",
          "derived"
        ],
        "properties": {
          "city": {
            "type": "string"
          },
          "country": {
            "type": "string"
          },
          "temperature": {
            "type": "number"
          },
          "feels_like": {
            "type": "number"
          },
          "temp_min": {
            "type": "number"
          },
          "temp_max": {
            "type": "number"
          },
          "humidity": {
            "type": "integer"
          },
          "pressure": {
            "type": "integer"
          },
          "wind_speed": {
            "type": "number"
          },
          "wind_direction": {
            "type": "integer",
            "nullable": true
          },
          "cloudiness": {
            "type": "integer",
            "nullable": true
          },
          "condition_code": {
            "type": "integer"
          },
          "condition_main": {
            "type": "string"
          },
          "condition_description": {
            "type": "string"
          },
          "observed_at": {
            "type": "string",
            "format": "date-time"
          },
          "latitude": {
            "type": "number",
            "nullable": true
          },
          "longitude": {
            "type": "number",
            "nullable": true
          },
          "id": {
            "type": "integer",
            "minimum": 1
          },
          "searched_at": {
            "type": "string",
            "format": "date-time"
          },
          "derived": {
            "type": "object",
            "nullable": true,
            "required": [
              "dew_point",
              "heat_index",
              "wind_chill",
              "beaufort",
              "comfort",
              "processed_at"
            ],
            "properties": {
              "dew_point": {
                "type": "number"
              },
              "heat_index": {
                "type": "number",
                "nullable": true
              },
              "wind_chill": {
                "type": "number",
                "nullable": true
              },
              "beaufort": {
                "type": "integer"
              },
              "comfort": {
                "type": "string"
              },
              "processed_at": {
                "type": "string",
                "format": "date-time"
              }
            }
          }
        }
      },
      "WeatherSearchResult": {
        "allOf": [
          {
            "$ref": "#/components/schemas/WeatherSearch"
          },
          {
            "type": "object",
            "required": [
              "processing_job_id"
            ],
            "properties": {
              "processing_job_id": {
                "type": "integer",
                "nullable": true,
                "description": "The async_weather_processing job enqueued for it."
              }
            }
          }
        ]
      },
      "DailyStatistics": {
        "type": "object",
        "required": [
          "day",
          "city",
          "country",
          "searches",
          "temperature",
          "humidity",
          "wind_speed",
          "generated_at"
        ],
        "properties": {
          "day": {
            "type": "string"
          },
          "city": {
            "type": "string"
          },
          "country": {
            "type": "string"
          },
          "searches": {
            "type": "integer",
            "minimum": 0
          },
          "temperature": {
            "type": "object",
            "nullable": true,
            "required": [
              "avg",
              "min",
              "max"
            ],
            "properties": {
              "avg": {
                "type": "number"
              },
              "min": {
                "type": "number"
              },
              "max": {
                "type": "number"
              }
            }
          },
          "humidity": {
            "type": "object",
            "nullable": true,
            "required": [
              "avg",
              "min",
              "max"
            ],
            "properties": {
              "avg": {
                "type": "number"
              },
              "min": {
                "type": "number"
              },
              "max": {
                "type": "number"
              }
            }
          },
          "wind_speed": {
            "type": "object",
            "nullable": true,
            "required": [
              "avg",
              "min",
              "max"
            ],
            "properties": {
              "avg": {
                "type": "number"
              },
              "min": {
                "type": "number"
              },
              "max": {
                "type": "number"
              }
            }
          },
          "generated_at": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "WeatherAlert": {
        "type": "object",
        "required": [
          "id",
          "search_id",
          "city",
          "country",
          "kind",
          "value",
          "threshold",
          "message",
          "observed_at",
          "created_at"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "minimum": 1
          },
          "search_id": {
            "type": "integer",
            "nullable": true
          },
          "city": {
            "type": "string"
          },
          "country": {
            "type": "string"
          },
          "kind": {
            "type": "string"
          },
          "value": {
            "type": "number"
          },
          "threshold": {
            "type": "number"
          },
          "message": {
            "type": "string"
          },
          "observed_at": {
            "type": "string",
            "format": "date-time"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "Schedule": {
        "type": "object",
        "required": [
          "name",
          "cron",
          "cron_words",
          "task",
          "args",
          "description",
          "paused",
          "runs",
          "next_run_at",
          "last_run",
          "last_success_at"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "cron": {
            "type": "string"
          },
          "cron_words": {
            "type": "string",
            "nullable": true
          },
          "task": {
            "type": "string"
          },
          "args": {
            "type": "object",
            "additionalProperties": true
          },
          "description": {
            "type": "string"
          },
          "paused": {
            "type": "boolean"
          },
          "runs": {
            "type": "integer",
            "minimum": 0
          },
          "next_run_at": {
            "type": "string",
            "format": "date-time",
            "nullable": true
          },
          "last_run": {
            "$ref": "#/components/schemas/ScheduleRun"
          },
          "last_success_at": {
            "type": "string",
            "format": "date-time",
            "nullable": true
          }
        }
      },
      "ScheduleRun": {
        "type": "object",
        "nullable": true,
        "required": [
          "schedule",
          "slot",
          "host",
          "pid",
          "job_id",
          "state",
          "reason",
          "started_at",
          "finished_at"
        ],
        "properties": {
          "schedule": {
            "type": "string"
          },
          "slot": {
            "type": "string"
          },
          "host": {
            "type": "string"
          },
          "pid": {
            "type": "integer"
          },
          "job_id": {
            "type": "integer",
            "nullable": true
          },
          "state": {
            "type": "string",
            "enum": [
              "running",
              "succeeded",
              "failed",
              "cancelled",
              "skipped"
            ]
          },
          "reason": {
            "type": "string",
            "nullable": true
          },
          "started_at": {
            "type": "string",
            "format": "date-time"
          },
          "finished_at": {
            "type": "string",
            "format": "date-time",
            "nullable": true
          }
        }
      }
    }
  }
}
"""##
}
