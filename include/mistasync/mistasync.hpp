// The mistasync SDK: include this one header.
#pragma once

#include <mistasync/client.hpp>
#include <mistasync/config.hpp>
#include <mistasync/error.hpp>
#include <mistasync/lookup.hpp>
#include <mistasync/models.hpp>
#include <mistasync/provision.hpp>
#include <mistasync/version.hpp>
#include <mistasync/wait.hpp>
