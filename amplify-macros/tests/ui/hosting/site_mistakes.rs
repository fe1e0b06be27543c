// One mistake per backend module.

#[amplify_runtime::backend]
mod missing_site {
    #[hosting(build = "npm run build")]
    pub struct Site;
}

#[amplify_runtime::backend]
mod site_outside_the_crate {
    #[hosting(site = "../dist")]
    pub struct Site;
}

#[amplify_runtime::backend]
mod build_dir_without_build {
    #[hosting(site = "web/dist", build_dir = "web")]
    pub struct Site;
}

#[amplify_runtime::backend]
mod index_in_a_folder {
    #[hosting(site = "dist", index = "pages/index.html")]
    pub struct Site;
}

#[amplify_runtime::backend]
mod max_age_with_a_unit {
    #[hosting(site = "dist", max_age = 1h)]
    pub struct Site;
}

#[amplify_runtime::backend]
mod two_sites {
    #[hosting(site = "shop/dist")]
    pub struct Shop;

    #[hosting(site = "admin/dist")]
    pub struct Admin;
}

fn main() {}
