// The Python-side handle of a crm::store, shared by the binding files that add methods to
// netcrm._core.Store.
#pragma once

#include "bindings.hpp"

#include "crm/error.hpp"
#include "crm/store.hpp"

#include <memory>
#include <mutex>

namespace netcrm_py {

// Holds the store; close() drops it. Each call keeps its own reference, so a close() from another
// thread waits for nothing and frees the store when the last call in flight returns.
class py_store {
public:
    explicit py_store(std::shared_ptr<crm::store> s) : s_(std::move(s)) {}

    std::shared_ptr<crm::store> get() const {
        std::lock_guard lock(m_);
        if (!s_) throw crm::error("the database is closed");
        return s_;
    }
    void close() {
        std::shared_ptr<crm::store> dropped;
        {
            std::lock_guard lock(m_);
            dropped.swap(s_);
        }
        py::gil_scoped_release nogil;
        dropped.reset();
    }
    bool closed() const {
        std::lock_guard lock(m_);
        return !s_;
    }

private:
    mutable std::mutex m_;
    std::shared_ptr<crm::store> s_;
};

}  // namespace netcrm_py
