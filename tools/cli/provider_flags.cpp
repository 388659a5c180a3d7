// add-backend's provider options as the Python `mist add-cloud` spells them
// (--docker-host, --ec2-api-key ...): each is one field of the add, named as the server
// reads it; the file options send the file's text, as the Python client does.
#include "verbs.hpp"

#include <deque>

namespace mistcli {

const std::vector<provider_flag>& provider_flags() {
    static const std::vector<provider_flag> flags = {
        {"--ec2-api-key", "api_key", "KEY"}, {"--ec2-api-secret", "api_secret", "SECRET"}, {"--ec2-region", "region", "REGION"},
        {"--rackspace-username", "username", "USER"}, {"--rackspace-api-key", "api_key", "KEY"}, {"--rackspace-region", "region", "REGION"},
        {"--nepho-username", "username", "USER"}, {"--nepho-password", "password", "PASSWORD"},
        {"--digi-token", "token", "TOKEN"},
        {"--linode-api-key", "api_key", "KEY"},
        {"--openstack-username", "username", "USER"}, {"--openstack-password", "password", "PASSWORD"},
        {"--openstack-auth-url", "auth_url", "URL"}, {"--openstack-tenant", "tenant_name", "TENANT"},
        {"--openstack-region", "region", "REGION"},
        {"--hp-username", "username", "USER"}, {"--hp-password", "password", "PASSWORD"}, {"--hp-tenant", "tenant_name", "TENANT"},
        {"--hp-region", "region", "REGION"},
        {"--softlayer-username", "username", "USER"}, {"--softlayer-api-key", "api_key", "KEY"},
        {"--docker-host", "docker_host", "HOST"}, {"--docker-port", "docker_port", "PORT"},
        {"--docker-auth-user", "auth_user", "USER"}, {"--docker-auth-password", "auth_password", "PASSWORD"},
        {"--docker-key-file", "key_file", "FILE", true}, {"--docker-cert-file", "cert_file", "FILE", true},
        {"--docker-ca-cert-file", "ca_cert_file", "FILE", true},
        {"--bare-hostname", "machine_ip", "HOST"}, {"--bare-user", "machine_user", "USER"}, {"--bare-port", "machine_port", "PORT"},
        {"--bare-ssh-key-id", "machine_key", "KEY"},
        {"--core-hostname", "machine_ip", "HOST"}, {"--core-user", "machine_user", "USER"}, {"--core-port", "machine_port", "PORT"},
        {"--core-ssh-key-id", "machine_key", "KEY"},
        {"--azure-sub-id", "subscription_id", "ID"}, {"--azure-cert-path", "certificate", "FILE", true},
        {"--vcloud-username", "username", "USER"}, {"--vcloud-password", "password", "PASSWORD"}, {"--vcloud-host", "host", "HOST"},
        {"--vcloud-organization", "organization", "ORG"},
        {"--vsphere-username", "username", "USER"}, {"--vsphere-password", "password", "PASSWORD"}, {"--vsphere-host", "host", "HOST"},
        {"--indonesian-username", "username", "USER"}, {"--indonesian-password", "password", "PASSWORD"},
        {"--indonesian-organization", "organization", "ORG"}, {"--indonesian-region", "indonesianRegion", "REGION"},
        {"--libvirt-hostname", "machine_hostname", "HOST"}, {"--libvirt-user", "machine_user", "USER"},
        {"--libvirt-key", "machine_key", "KEY"}, {"--libvirt-ssh-port", "ssh_port", "PORT"},
        {"--libvirt-images", "images_location", "PATH"},
        {"--gce-email", "email", "EMAIL"}, {"--gce-project-id", "project_id", "ID"}, {"--gce-private-key", "private_key", "FILE", true},
        {"--hostvirtual-api-key", "api_key", "KEY"}, {"--vultr-api-key", "api_key", "KEY"},
        {"--packet-api-key", "api_key", "KEY"}, {"--packet-project", "project_id", "ID"},
    };
    return flags;
}

std::vector<option_spec> provider_flag_options() {
    static std::deque<std::string> help;  // the option specs point into it
    std::vector<option_spec> out;
    for (const provider_flag& f : provider_flags()) {
        help.push_back(std::string("the ") + f.field + " field" + (f.from_file ? ", from this file" : ""));
        out.push_back({f.flag, f.value, help.back().c_str()});
    }
    return out;
}

}  // namespace mistcli
