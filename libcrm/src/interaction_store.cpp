#include "crm/interaction_store.hpp"

#include "detail/store_impl.hpp"

namespace crm {

interaction_store::interaction_store(store::impl& impl) : s_(impl) {}

}  // namespace crm
