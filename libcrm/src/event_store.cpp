#include "crm/event_store.hpp"

#include "detail/store_impl.hpp"

namespace crm {

event_store::event_store(store::impl& impl) : s_(impl) {}

}  // namespace crm
