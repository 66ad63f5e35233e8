#include "crm/metric.hpp"

#include "detail/store_impl.hpp"

namespace crm {

network_queries::network_queries(store::impl& impl) : s_(impl) {}

}  // namespace crm
