#include "crm/follow_up_store.hpp"

#include "detail/store_impl.hpp"

namespace crm {

follow_up_store::follow_up_store(store::impl& impl) : s_(impl) {}

}  // namespace crm
