#include "crm/favor_store.hpp"

#include "detail/store_impl.hpp"

namespace crm {

favor_store::favor_store(store::impl& impl) : s_(impl) {}

}  // namespace crm
