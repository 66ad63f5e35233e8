// Skeleton: filled in by the engineer who owns this file.
#include "crm/schedule.hpp"
