#include "crm/goal_store.hpp"

#include "detail/store_impl.hpp"

namespace crm {

struct goal_store::state {};

goal_store::goal_store(store::impl& impl) : s_(impl), state_(std::make_unique<state>()) {}
goal_store::~goal_store() = default;

}  // namespace crm
