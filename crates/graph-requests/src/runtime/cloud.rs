/// A Microsoft Graph API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiVersion {
    /// `v1.0`
    V1,
    /// `beta`
    Beta,
}

impl ApiVersion {
    /// The path segment of the version, e.g. `v1.0`.
    pub fn segment(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

/// A Microsoft Graph national cloud deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cloud {
    /// Global service, `graph.microsoft.com`.
    Global,
    /// US Government L4, `graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DoD), `dod-graph.microsoft.us`.
    UsGovL5,
    /// China operated by 21Vianet, `microsoftgraph.chinacloudapi.cn`.
    China,
}

impl Cloud {
    /// The service root of the cloud, without a version.
    pub fn base_url(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovL4 => "https://graph.microsoft.us",
            Cloud::UsGovL5 => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The name the docs use for the cloud.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Global => "Global service",
            Cloud::UsGovL4 => "US Government L4",
            Cloud::UsGovL5 => "US Government L5 (DOD)",
            Cloud::China => "China operated by 21Vianet",
        }
    }
}
